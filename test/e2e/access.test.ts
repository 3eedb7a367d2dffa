import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { COMMANDS } from "../../src/bot/commands.js";
import { ActionCatalogue } from "../../src/bot/actions.js";
import { CommandMenu } from "../../src/bot/command-menu.js";
import { FEATURES } from "../../src/bot/features/index.js";
import { ADMIN_ID, STRANGER_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";

const commandsFor = (role: "viewer") => new CommandMenu(new ActionCatalogue(FEATURES)).for(role);
const quietFor = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the access gate, through the real bot", () => {
  let h: AppHarness;
  beforeEach(async () => { h = await startAppHarness(); });
  afterEach(async () => {
    expect(h.emu.violations).toEqual([]);
    await h.stop();
  });

  test("an admin's /start gets the welcome and the command menu", async () => {
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha <&>", username: "asha" });
    await admin.send("/start");
    const welcome = await admin.waitForBotMessage((m) => m.text?.startsWith("Welcome to vidlib") ?? false);
    expect(welcome.text).toContain("Welcome to vidlib, Asha <&>!");
    for (const { command } of COMMANDS) expect(welcome.text).toContain(`/${command}`);
    // Everyone's default menu is the viewer's; an owner's own chat gets every command.
    expect(h.emu.commands()).toEqual(commandsFor("viewer"));
    expect(h.emu.commands({ scope: { type: "chat", chat_id: ADMIN_ID } })).toEqual(COMMANDS);
    expect(commandsFor("viewer").map((c) => c.command)).toEqual(["start", "help", "search", "status", "cancel"]);
  });

  test("a stranger gets one refusal with their id, and nothing else", async () => {
    const stranger = h.emu.user({ id: STRANGER_ID, firstName: "Eve" });
    await stranger.send("/start");
    const refusal = await stranger.waitForBotMessage(() => true);
    expect(refusal.text).toBe(`This is a private bot. Your Telegram user id is ${STRANGER_ID}; an administrator can give you access.`);
    await stranger.send("/categories");
    await stranger.send("physics");
    await quietFor(400);
    expect(stranger.messages().filter((m) => m.from === "bot")).toHaveLength(1);
  });

  test("a stranger's inline query gets an empty answer and their buttons a bare one", async () => {
    const stranger = h.emu.user({ id: STRANGER_ID, firstName: "Eve" });
    const answer = await stranger.inline("physics");
    expect(answer.results).toEqual([]);
    expect(answer.isPersonal).toBe(true);
    const press = await stranger.pressData("cataud:pick:0");
    expect(press.text ?? "").toBe("");
  });

  test("a stranger never sees data an admin created", async () => {
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await h.app.services.categories.create("Secret staff matters", "staff", { kind: "user", id: ADMIN_ID, role: "owner" });
    await admin.send("/categories");
    await admin.waitForBotMessage((m) => m.buttons.flat().some((b) => b.includes("Secret staff matters")));
    const stranger = h.emu.user({ id: STRANGER_ID, firstName: "Eve" });
    await stranger.send("/categories");
    await stranger.waitForBotMessage(() => true);
    await quietFor(300);
    expect(stranger.transcript()).not.toContain("Secret");
    expect(stranger.messages().flatMap((m) => m.buttons.flat())).toEqual([]);
  });
});
