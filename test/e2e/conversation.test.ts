import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ADMIN_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";

describe("the new-category dialogue", () => {
  let h: AppHarness;
  beforeEach(async () => { h = await startAppHarness(); });
  afterEach(async () => {
    expect(h.emu.violations).toEqual([]);
    await h.stop();
  });

  test("creates a category with the chosen audience and audits it", async () => {
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/newcategory");
    await admin.waitForBotMessage((m) => m.text?.includes("What is it called?") ?? false);
    await admin.send("  JEE <Advanced> & Physics 🎬 ");
    await admin.waitForBotMessage((m) => m.text?.includes("Who is “JEE <Advanced> & Physics 🎬” for?") ?? false);
    const press = await admin.press("staff");
    expect(press.text ?? "").toBe("");
    await admin.waitForBotMessage((m) => m.text === "Category “JEE <Advanced> & Physics 🎬” created for staff.");
    const categories = await h.app.services.categories.list();
    expect(categories.map((c) => [c.name, c.audience])).toEqual([["JEE <Advanced> & Physics 🎬", "staff"]]);
    const [event] = await h.app.services.audit.latest(1);
    expect(event).toMatchObject({ actorKind: "user", actorId: String(ADMIN_ID), action: "category.create", targetType: "category" });
    expect(JSON.parse(event!.after!)).toEqual({ name: "JEE <Advanced> & Physics 🎬", audience: "staff" });
  });

  test("bad answers get a clear message and the question again", async () => {
    await h.app.services.categories.create("Chemistry", "students", { kind: "user", id: ADMIN_ID, role: "owner" });
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/newcategory");
    await admin.waitForBotMessage((m) => m.text?.includes("What is it called?") ?? false);
    await admin.send("x".repeat(65));
    await admin.waitForBotMessage((m) => m.text?.includes("too long") ?? false);
    await admin.send("CHEMISTRY");
    await admin.waitForBotMessage((m) => m.text?.includes("already exists") ?? false);
    await admin.send("Biology");
    await admin.waitForBotMessage((m) => m.text?.includes("Choose an audience") ?? false);
    await admin.send("!!!");
    await admin.waitForBotMessage((m) => m.text?.includes("An audience is a short word") ?? false);
    await admin.send("Teachers");
    await admin.waitForBotMessage((m) => m.text === "Category “Biology” created for teachers.");
  });

  test("/cancel stops the dialogue and saves nothing", async () => {
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/newcategory");
    await admin.waitForBotMessage((m) => m.text?.includes("What is it called?") ?? false);
    await admin.send("/cancel");
    await admin.waitForBotMessage((m) => m.text?.startsWith("Stopped.") ?? false);
    // After /cancel, plain text is a search again, not the category's name.
    await admin.send("Physics");
    await admin.waitForBotMessage((m) => m.text?.includes("No videos match “Physics”") ?? false);
    expect(await h.app.services.categories.list()).toEqual([]);
    await admin.send("/cancel");
    await admin.waitForBotMessage((m) => m.text === "There is nothing to cancel.");
  });

  test("a stale or forged button answers 'this menu expired'", async () => {
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/start");
    const welcome = await admin.waitForBotMessage(() => true);
    for (const data of ["cataud:pick:0", "video:open:99", "garbage"]) {
      const answer = await admin.pressData(data, welcome.id);
      expect(answer.text).toBe("This menu expired. Please start again.");
    }
  });
  test("mid-dialogue, another message's buttons and commands work and are answered; the dialogue keeps waiting", async () => {
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/settings");
    await admin.waitForBotMessage((m) => m.buttons.flat().includes("Auto-convert: off → turn on"));
    await admin.send("/newcategory");
    await admin.waitForBotMessage((m) => m.text?.includes("What is it called?") ?? false);
    // A tap on the earlier /settings message does what it always does, and is answered.
    expect((await admin.press("+ trash days")).text).toBe("Saved");
    expect((await admin.press("Auto-convert: off → turn on")).text).toBe("Saved");
    expect(h.app.services.settings.current.autoConvertSince).not.toBeNull();
    // Forged and stale buttons are answered too, however many.
    for (let i = 0; i < 3; i++) expect((await admin.pressData("video:open:99")).text).toBe("This menu expired. Please start again.");
    // A command runs; it is not taken for the name.
    await admin.send("/help");
    await admin.waitForBotMessage((m) => m.text?.includes("Commands") ?? false);
    await admin.send("Geology");
    await admin.waitForBotMessage((m) => m.text?.includes("Who is “Geology” for?") ?? false);
    // While the audience is asked, other buttons still work; the audience buttons still choose.
    expect((await admin.press("− trash days")).text).toBe("Saved");
    expect((await admin.press("students")).text ?? "").toBe("");
    await admin.waitForBotMessage((m) => m.text === "Category “Geology” created for students.");
    expect((await h.app.services.categories.list()).map((c) => [c.name, c.audience])).toEqual([["Geology", "students"]]);
    // Nothing was left unanswered, and no question was asked twice.
    expect(admin.messages().filter((m) => m.text?.includes("What is it called?") ?? false)).toHaveLength(1);
  });

  test("an old dialogue's button pressed during the name question is answered as expired; the dialogue goes on", async () => {
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await admin.send("/newcategory");
    const question = await admin.waitForBotMessage((m) => m.text?.includes("What is it called?") ?? false);
    // An audience button belongs to the audience question, which is not asked yet.
    expect((await admin.pressData("cataud:pick:0", question.id)).text).toBe("This menu expired. Please start again.");
    await admin.send("Botany");
    await admin.waitForBotMessage((m) => m.text?.includes("Who is “Botany” for?") ?? false);
    await admin.press("staff");
    await admin.waitForBotMessage((m) => m.text === "Category “Botany” created for staff.");
  });
});
