import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ADMIN_ID, STRANGER_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";
import { insertVideo, scanStatus } from "../support/videos.js";
import { Video } from "../../src/entities/video.js";

let h: AppHarness;
const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
const asha = { kind: "user" as const, id: ADMIN_ID, role: "owner" as const };

const addVideo = (relativePath: string): Promise<number> => insertVideo(h.app.dataSource, relativePath, { probed: true });

const tagsOf = async (id: number): Promise<string[]> => ((await h.app.services.catalog.video(id))?.tags ?? []).map((t) => t.name);

beforeEach(async () => {
  h = await startAppHarness();
});
afterEach(async () => {
  expect(h.emu.violations).toEqual([]);
  await h.stop();
});

describe("search in the chat", () => {
  test("plain text answers with the total, 10 per page, paging buttons and entries that open cards", async () => {
    for (let i = 1; i <= 25; i++) await addVideo(`Maths/Algebra_L${i}.mp4`);
    await addVideo("Maths/Geometry_L1.mp4");
    const a = admin();
    await a.send("algebra lec");
    const first = await a.waitForBotMessage((m) => m.text?.includes("25 videos match") ?? false);
    expect(first.text).toContain("page 1 of 3");
    expect(first.buttons.slice(0, 10).map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1}. Algebra_L${i + 1}.mp4`));
    expect(first.buttons.flat()).toContain("Next ›");
    await a.press("Next ›");
    const second = await a.waitForBotMessage((m) => (m.edited === true && m.text?.includes("page 2 of 3")) ?? false);
    expect(second.id).toBe(first.id);
    expect(second.buttons[0]?.[0]).toBe("11. Algebra_L11.mp4");
    await a.press("12. Algebra_L12.mp4");
    const card = await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Algebra_L12.mp4") ?? false);
    expect(card.text).toContain("📁 Maths");
    expect(card.text).toContain("1:02:03 · 1920×1080 · h264/aac · 123.5 MB");
    expect(card.buttons.flat()).toEqual(["🏷 Tags", "📂 Category", "🕘 History", "📡 HLS export"]);
  });

  test("the seed example: /search with the natural query finds the seed first", async () => {
    const seed = await addVideo("JEE/JEE-Adv_Phy-ElectroStatics_L04.ts");
    await h.app.services.catalog.addTags(seed, ["revision"], asha);
    for (const other of ["JEE/JEE-Adv_Phy-ElectroStatics_L14.ts", "JEE/JEE-Main_Phy-Electrostatics_L04.ts", "JEE/JEE-Adv_Phy-Magnetism_L04.ts"]) await addVideo(other);
    const a = admin();
    for (const query of ["/search jee advanced physics electrostatics lecture 4", "electrostatics revision", "JEE-Adv_Phy-ElectroStatics_L04"]) {
      await a.send(query);
      const results = await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
      expect(results.buttons[0]?.[0], query).toBe("1. JEE-Adv_Phy-ElectroStatics_L04.ts");
    }
  });

  test("bad queries get a clear answer and never an error", async () => {
    await addVideo("Odd <b>&amp; \"name\" 🎬.mp4");
    const a = admin();
    await a.send("!!! 🎬");
    await a.waitForBotMessage((m) => m.text?.startsWith("Send some words to search for") ?? false);
    await a.send("/search");
    await a.waitForBotMessage((m) => m.text?.startsWith("Send /search followed by words") ?? false);
    for (const query of [`"NEAR* -x AND`, "x".repeat(300), "odd name"]) {
      await a.send(query);
      await a.waitForBotMessage((m) => /match/u.test(m.text ?? ""));
    }
    expect(a.transcript()).toContain("1. Odd <b>&amp; \"name\" 🎬.mp4");
    expect(a.transcript()).not.toContain("Sorry, something went wrong");
  });

  test("stale buttons, other chats' searches and deleted videos answer 'this menu expired'", async () => {
    const id = await addVideo("Gone.mp4");
    const a = admin();
    expect((await a.pressData("s:p:999:1")).text).toBe("This menu expired — search again.");
    expect((await a.pressData("v:o:abc")).text).toBe("This menu expired — search again.");
    expect((await a.pressData("b:t:999")).text).toBe("This menu expired — search again.");
    await a.send("gone");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    await a.press("1. Gone.mp4");
    await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Gone.mp4") ?? false);
    await h.app.dataSource.getRepository(Video).delete({ id });
    expect((await a.press("🏷 Tags")).text).toBe("This video is no longer in the library — search again.");
  });
});

describe("video card", () => {
  test("tags: type to add, autocomplete a prefix, tap to remove; every change is audited", async () => {
    const id = await addVideo("Phy/ElectroStatics_Notes.mp4");
    const other = await addVideo("Phy/Optics.mp4");
    await h.app.services.catalog.addTags(other, ["Electrostatics Basics", "exam prep"], asha);
    const a = admin();
    await a.send("/start v" + String(id));
    await a.waitForBotMessage((m) => m.text?.startsWith("🎬 ElectroStatics_Notes.mp4") ?? false);
    await a.press("🏷 Tags");
    const panel = await a.waitForBotMessage((m) => m.text?.includes("send them separated by commas") ?? false);
    expect(panel.buttons.flat()).toEqual(expect.arrayContaining(["+ Electrostatics Basics", "+ exam prep", "+ electro", "+ statics", "+ notes", "✔️ Done"]));
    await a.send("Revision, <b>&, 🎬");
    await a.waitForBotMessage((m) => m.text?.includes("Added: Revision, <b>&.") ?? false);
    expect(a.transcript()).toContain("“🎬” has no letters or digits");
    expect(await tagsOf(id)).toEqual(["<b>&", "Revision"]);
    await a.send("elec");
    const offer = await a.waitForBotMessage((m) => m.text?.includes("Existing tags start with “elec”") ?? false);
    expect(offer.buttons.flat()).toEqual(["+ Electrostatics Basics", "+ “elec” as a new tag"]);
    expect((await a.press("+ Electrostatics Basics")).text).toBe("Added Electrostatics Basics");
    await a.send("REVISION");
    await a.waitForBotMessage((m) => m.text?.includes("Already tagged: Revision.") ?? false);
    expect((await a.press("✕ <b>&")).text).toBe("Tag removed");
    expect(await tagsOf(id)).toEqual(["Electrostatics Basics", "Revision"]);
    await a.press("✔️ Done");
    // After Done, text is a search again.
    await a.send("optics");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    const history = await h.app.services.audit.about("video", id, 10);
    expect(history.map((e) => [e.action, e.actorId])).toContainEqual(["video.tags", String(ADMIN_ID)]);
    expect(history[0]).toMatchObject({ before: JSON.stringify(["<b>&", "Electrostatics Basics", "Revision"]), after: JSON.stringify(["Electrostatics Basics", "Revision"]) });
    await a.press("🕘 History");
    await a.waitForBotMessage((m) => m.text?.includes("video.tags") ?? false);
  });

  test("a file-name word too long to be a tag is not offered; a button for it (drawn before) says why instead of 'already tagged'", async () => {
    const long = "supercalifragilisticexpialidociousandmoreletters";
    const id = await addVideo(`Phy/Notes_${long}.mp4`);
    const a = admin();
    await a.send("/start v" + String(id));
    await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Notes_") ?? false);
    await a.press("🏷 Tags");
    const panel = await a.waitForBotMessage((m) => m.text?.includes("send them separated by commas") ?? false);
    expect(panel.buttons.flat()).toContain("+ notes");
    expect(panel.buttons.flat().filter((b) => b.includes("supercali"))).toEqual([]);
    const answer = await a.pressData(`v:w:${id}:1`, panel.id);
    expect(answer).toEqual({ text: `Not added: “${long}” is too long for a tag (at most 40 characters).`, showAlert: true });
    expect((await a.pressData(`v:w:${id}:0`, panel.id)).text).toBe("Added notes");
    expect(await tagsOf(id)).toEqual(["notes"]);
  });

  test("category is a single choice, and the card is edited in place when anyone changes the video", async () => {
    const physics = await h.app.services.categories.create("Physics", "students", asha);
    await h.app.services.categories.create("Staff Only", "staff", asha);
    const id = await addVideo("Phy/Optics.mp4");
    const a = admin();
    await a.send("/start v" + String(id));
    await a.waitForBotMessage((m) => m.text?.includes("Category: none") ?? false);
    await a.press("📂 Category");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("Physics (students)"));
    expect((await a.press("Physics (students)")).text).toBe("Category: Physics");
    const card = await a.waitForBotMessage((m) => m.text?.includes("Category: Physics (students)") ?? false);
    // Someone else tags the video and the scanner marks it missing: the shown card follows.
    await h.app.services.catalog.addTags(id, ["waves"], { kind: "user", id: 2002, role: "owner" });
    await scanStatus(h.app.dataSource, id, "missing", h.app.services.followUps);
    const refreshed = await a.waitForBotMessage((m) => m.id === card.id && (m.text?.includes("Tags: waves") ?? false) && (m.text?.includes("missing") ?? false));
    expect(refreshed.edited).toBe(true);
    expect(physics.ok).toBe(true);
  });
});

describe("bulk edits", () => {
  test("tag all N with confirmation and a sample, untag, set category, and one undo", async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 12; i++) ids.push(await addVideo(`Calc/Calculus_L${i}.mp4`));
    await addVideo("Other/Optics.mp4");
    await h.app.services.categories.create("Maths", "students", asha);
    const a = admin();
    await a.send("calculus");
    await a.waitForBotMessage((m) => m.text?.includes("12 videos match") ?? false);
    await a.press("🏷 Tag all 12");
    await a.waitForBotMessage((m) => m.text?.startsWith("Send the tags to add to all 12 videos") ?? false);
    await a.send("important, term 1");
    const confirm = await a.waitForBotMessage((m) => m.text?.startsWith("Add important, term 1 to all 12 videos?") ?? false);
    expect(confirm.text).toContain("• Calculus_L1.mp4");
    expect(confirm.text).toContain("… and 7 more");
    await a.press("✅ Tag 12 videos");
    await a.waitForBotMessage((m) => m.text?.startsWith("Tagged 12 videos with important, term 1") ?? false);
    for (const id of ids) expect(await tagsOf(id)).toEqual(["important", "term 1"]);
    await a.press("↩ Undo");
    await a.waitForBotMessage((m) => m.text?.startsWith("Undone: tagged 12 videos") ?? false);
    for (const id of ids) expect(await tagsOf(id)).toEqual([]);
    await a.send("/undo");
    await a.waitForBotMessage((m) => m.text?.startsWith("There is nothing to undo") ?? false);

    await a.send("calculus");
    await a.waitForBotMessage((m) => m.text?.includes("12 videos match") ?? false);
    await a.press("📂 Set category for all 12");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("Maths (students)"));
    await a.press("Maths (students)");
    await a.waitForBotMessage((m) => m.text?.startsWith("Set the category of all 12 videos to Maths (students)?") ?? false);
    await a.press("✅ Set it");
    await a.waitForBotMessage((m) => m.text?.startsWith("Set 12 videos to Maths (students)") ?? false);
    expect((await h.app.services.catalog.videos(ids)).every((v) => v.category?.name === "Maths")).toBe(true);
    const audit = await h.app.services.audit.about("video", ids[0]!, 5);
    expect(audit[0]).toMatchObject({ action: "video.category", before: "null", after: JSON.stringify("Maths") });

    await h.app.services.catalog.addTags(ids[0]!, ["draft"], asha);
    await a.send("calculus");
    await a.waitForBotMessage((m) => m.text?.includes("12 videos match") ?? false);
    await a.press("✕ Untag all 12");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("✕ draft (1)"));
    await a.press("✕ draft (1)");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("✅ Remove it"));
    await a.press("✅ Remove it");
    await a.waitForBotMessage((m) => m.text?.startsWith("Removed draft from 1 videos") ?? false);
    expect(await tagsOf(ids[0]!)).toEqual([]);
  });
});

describe("tags and categories library-wide", () => {
  test("/tags renames a tag everywhere, and renaming onto another tag merges them", async () => {
    const a1 = await addVideo("A.mp4");
    const a2 = await addVideo("B.mp4");
    await h.app.services.catalog.addTags(a1, ["sci-fi", "Revison"], asha);
    await h.app.services.catalog.addTags(a2, ["revision"], asha);
    const a = admin();
    await a.send("/tags");
    await a.waitForBotMessage((m) => m.text?.includes("3 tags") ?? false);
    await a.press("Revison (1)");
    await a.waitForBotMessage((m) => m.text?.includes("in captions it becomes #Revison") ?? false);
    await a.press("✏️ Rename or merge");
    await a.send("Revision");
    await a.waitForBotMessage((m) => m.text?.startsWith("Merged into revision: 1 videos") ?? false);
    expect(await tagsOf(a1)).toEqual(["revision", "sci-fi"]);
    await a.send("/tags");
    await a.waitForBotMessage((m) => m.text?.includes("2 tags") ?? false);
    await a.press("sci-fi (1)");
    await a.waitForBotMessage((m) => m.text?.includes("#sci_fi") ?? false);
    await a.press("✏️ Rename or merge");
    await a.send("Science Fiction");
    await a.waitForBotMessage((m) => m.text?.startsWith("Renamed to Science Fiction") ?? false);
    expect(await tagsOf(a1)).toEqual(["revision", "Science Fiction"]);
  });

  test("/categories renames, and deletes a category in use only after its videos are moved", async () => {
    await h.app.services.categories.create("Physics", "students", asha);
    await h.app.services.categories.create("Archive", "staff", asha);
    const id = await addVideo("Optics.mp4");
    const physics = (await h.app.services.categories.list()).find((c) => c.name === "Physics")!;
    await h.app.services.catalog.setCategory(id, physics, asha);
    const a = admin();
    await a.send("/categories");
    await a.waitForBotMessage((m) => m.text?.includes("Categories (2)") ?? false);
    await a.press("Physics — students (1)");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("✏️ Rename"));
    await a.press("✏️ Rename");
    await a.send("Physics XI");
    await a.waitForBotMessage((m) => m.text?.startsWith("Renamed to Physics XI") ?? false);
    await a.send("/categories");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("Physics XI — students (1)"));
    await a.press("Physics XI — students (1)");
    await a.waitForBotMessage((m) => m.buttons.flat().includes("🗑 Delete"));
    await a.press("🗑 Delete");
    await a.waitForBotMessage((m) => m.text?.startsWith("1 video is in Physics XI. Choose where they go") ?? false);
    await a.press("→ Archive (staff)");
    await a.waitForBotMessage((m) => m.text?.startsWith("Deleted Physics XI. 1 videos were moved.") ?? false);
    expect((await h.app.services.catalog.video(id))?.category?.name).toBe("Archive");
    expect((await h.app.services.categories.list()).map((c) => c.name)).toEqual(["Archive"]);
  });

  test("/abbreviations edits the dictionary and search uses it at once", async () => {
    await addVideo("ElectroMagnetism_L1.mp4");
    const a = admin();
    await a.send("em");
    await a.waitForBotMessage((m) => m.text?.startsWith("No videos match") ?? false);
    await a.send("/abbreviations");
    await a.waitForBotMessage((m) => m.text?.includes("adv → advanced") ?? false);
    await a.send("em = electromagnetism");
    await a.waitForBotMessage((m) => m.text?.startsWith("Saved: em → electromagnetism") ?? false);
    await a.send("nonsense");
    await a.waitForBotMessage((m) => m.text?.startsWith("Write it as short = long") ?? false);
    await a.send("/cancel");
    await a.send("em");
    await a.waitForBotMessage((m) => m.text?.includes("1 video matches") ?? false);
    expect(await h.app.services.audit.latestOf("search.abbreviation")).toMatchObject({ before: "null", after: JSON.stringify("electromagnetism") });
  });
});

describe("inline search", () => {
  test("pages of up to 50 with next_offset; uploaded videos come as themselves; strangers get nothing", async () => {
    for (let i = 1; i <= 60; i++) await addVideo(`Bio/Genetics_L${i}.mp4`);
    await h.app.dataSource.getRepository(Video).update({ fileName: "Genetics_L1.mp4" }, { telegramFileId: "BAACAgIAAxkBAAIB" });
    const a = admin();
    const first = await a.inline("genetics");
    expect(first.results).toHaveLength(50);
    expect(first.nextOffset).toBe("50");
    expect(first.isPersonal).toBe(true);
    expect(first.results[0]).toMatchObject({ type: "video", video_file_id: "BAACAgIAAxkBAAIB", title: "Genetics_L1.mp4" });
    expect(first.results[1]).toMatchObject({ type: "article", title: "Genetics_L2.mp4" });
    expect(JSON.stringify(first.results[1])).toContain("https://t.me/vidlib_test_bot?start=v");
    const second = await a.inline("genetics", { offset: "50" });
    expect(second.results).toHaveLength(10);
    expect(second.nextOffset).toBe("");
    expect((await a.inline("!!!")).results).toEqual([]);
    const stranger = h.emu.user({ id: STRANGER_ID, firstName: "Eve" });
    expect((await stranger.inline("genetics")).results).toEqual([]);
  });
});
