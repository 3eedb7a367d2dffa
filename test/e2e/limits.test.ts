import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startAppHarness, startLibraryHarness, type AppHarness } from "../support/app-harness.js";
import { insertVideo } from "../support/videos.js";
import type { ViewMessage } from "../support/telegram/index.js";

// Every list-like reply must arrive within Telegram's limits (the emulator refuses more, after entity
// parsing), say how much it left out, and lose nothing that was saved.

let h: AppHarness;
const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
const asha = { kind: "user" as const, id: ADMIN_ID, role: "owner" as const };

/** Telegram's count: UTF-16 units of the text as shown. */
const fits = (m: ViewMessage, limit = 4096): boolean => (m.text ?? m.caption ?? "").length <= limit;
const refused = (): string[] => h.emu.requests.filter((r) => r.status >= 400).map((r) => `${r.method}:${r.status}:${r.description ?? ""}`);
/** 40-character tags, each distinct, with characters that HTML escapes. */
const longTag = (i: number): string => `t${String(i).padStart(3, "0")} & <long> tag name for the limit test`.slice(0, 40);

beforeEach(async () => {
  h = await startAppHarness();
});
afterEach(async () => {
  expect(h.emu.violations).toEqual([]);
  await h.stop();
});

describe("tags at Telegram's limits", () => {
  test("150 tags of 40 characters typed at once: all are saved, the reply fits and says how many more", async () => {
    const id = await insertVideo(h.app.dataSource, "Physics/Electrostatics_L01.mp4", { probed: true });
    const a = admin();
    await a.send("electrostatics");
    await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
    await a.press("1. Electrostatics_L01.mp4");
    await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Electrostatics_L01.mp4") ?? false);
    await a.press("🏷 Tags");
    await a.waitForBotMessage((m) => (m.edited === true && m.text?.includes("send them separated by commas")) ?? false);
    const tags = Array.from({ length: 150 }, (_, i) => longTag(i));
    await a.send(tags.join(", "));
    const reply = await a.waitForBotMessage((m) => m.text?.startsWith("Added (150 tags):") ?? false);
    expect(fits(reply)).toBe(true);
    expect(reply.text).toMatch(/… and \d+ more\./u);
    expect(reply.text).toMatch(/Tags: .*… and \d+ more/u);
    expect(reply.text).not.toContain("Sorry");
    const saved = ((await h.app.services.catalog.video(id))?.tags ?? []).map((t) => t.name).sort();
    expect(saved).toEqual([...tags].sort());
    expect(reply.buttons.flat().length).toBeLessThanOrEqual(100);
    // Typing them again: all already there, still one reply that fits.
    await a.send(tags.join(", "));
    const again = await a.waitForBotMessage((m) => m.text?.startsWith("Already tagged (150 tags):") ?? false);
    expect(fits(again)).toBe(true);
    // The card itself, opened afresh, fits and counts the rest.
    await a.send("/search electrostatics");
    await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
    await a.press("1. Electrostatics_L01.mp4");
    const card = await a.waitForBotMessage((m) => (m.text?.startsWith("🎬 Electrostatics_L01.mp4") && m.text.includes("more")) ?? false);
    expect(fits(card)).toBe(true);
    expect(refused()).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });
});

describe("edits that change nothing are not sent", () => {
  const notModified = (): string[] => h.emu.requests.filter((r) => r.description?.includes("message is not modified") ?? false).map((r) => r.method);

  test("double taps and refreshes with no change make no refused edit, while real changes still show", async () => {
    const id = await insertVideo(h.app.dataSource, "Physics/Optics_L01.mp4", { probed: true });
    await h.app.services.categories.create("Physics", "students", asha);
    await h.app.services.catalog.addTags(id, ["optics"], asha);
    h.emu.channel({ id: -1001234567890, title: "Physics channel" });
    const added = await h.app.services.channels.add(-1001234567890, "students", asha);
    expect(added.ok).toBe(true);
    const a = admin();

    // A card, its category panel, the same category tapped twice on the same message.
    await a.send("optics");
    await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
    await a.press("1. Optics_L01.mp4");
    const card = await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Optics_L01.mp4") ?? false);
    await a.press("📂 Category");
    const panel = await a.waitForBotMessage((m) => (m.id === card.id && m.text?.includes("Choose the video's category")) ?? false);
    const physics = panel.keyboard?.flat().find((b) => b.text.startsWith("Physics"))?.callbackData;
    if (physics === undefined) throw new Error("no Physics button");
    await a.pressData(physics, card.id);
    await a.waitForBotMessage((m) => (m.id === card.id && m.text?.includes("Category: Physics (students)")) ?? false);
    await a.pressData(physics, card.id);
    await h.emu.waitForIdle();

    // A write that changes nothing, then one that does: the card shows the second.
    await h.app.services.catalog.addTags(id, ["optics"], asha);
    await h.app.services.catalog.addTags(id, ["lenses"], asha);
    await a.waitForBotMessage((m) => (m.id === card.id && m.text?.includes("lenses")) ?? false);

    // The channel map, its same button tapped twice.
    await a.send("/channels");
    const channels = await a.waitForBotMessage((m) => m.text?.startsWith("📣 Channels (1)") ?? false);
    await a.press("🔗 Which category posts where");
    const map = await a.waitForBotMessage((m) => (m.id === channels.id && m.text?.startsWith("🔗 Which category posts where")) ?? false);
    const row = map.keyboard?.flat().find((b) => b.text.startsWith("Physics →"))?.callbackData;
    const back = map.keyboard?.flat().find((b) => b.text === "← Channels")?.callbackData;
    if (row === undefined || back === undefined) throw new Error("no map buttons");
    await a.pressData(back, map.id);
    await a.pressData(back, map.id);
    await h.emu.waitForIdle();

    // /queue and /convert refreshed with nothing changed.
    await a.send("/queue");
    await a.waitForBotMessage((m) => m.text?.startsWith("📤 Upload queue") ?? false);
    await a.press("🔄 Refresh");
    await a.press("🔄 Refresh");
    await a.send("/convert");
    await a.waitForBotMessage((m) => m.text?.startsWith("🔄 Conversions") ?? false);
    await a.press("↻ Refresh");
    await a.press("↻ Refresh");
    await h.emu.waitForIdle();

    expect(notModified()).toEqual([]);
    expect(h.logs.text).toContain("edit skipped: the message already shows this");
    // Real changes still landed.
    const shown = h.emu.chatMessages(ADMIN_ID).find((m) => m.id === card.id);
    expect(shown?.text).toContain("lenses");
    expect(shown?.text).toContain("Category: Physics (students)");
  });
});

describe("lists of people and of the audit trail at Telegram's limits", () => {
  test("/users with 300 people fits, counts the rest, and keeps within 100 buttons", async () => {
    for (let i = 0; i < 300; i++) expect((await h.app.services.roles.setRole(asha, 5000 + i, i % 2 === 0 ? "editor" : "viewer")).kind).not.toBe("refused");
    const a = admin();
    await a.send("/users");
    const list = await a.waitForBotMessage((m) => m.text?.startsWith("👥 People with access (301)") ?? false);
    expect(fits(list)).toBe(true);
    expect(list.text).toMatch(/… and \d+ more people/u);
    expect(list.buttons.flat().length).toBeLessThanOrEqual(100);
    expect(refused()).toEqual([]);
  });

  test("/audit with long details fits; what does not fit is on the older page, none skipped", async () => {
    for (let i = 0; i < 40; i++) {
      await h.app.services.audit.record({ actor: { kind: "system", name: "test" }, action: `test.long-${i}`, before: "<&>".repeat(200), after: "é&".repeat(300) });
    }
    const a = admin();
    await a.send("/audit");
    const page = await a.waitForBotMessage((m) => m.text?.startsWith("🧾 Audit trail") ?? false);
    expect(fits(page)).toBe(true);
    const actions = (text: string | undefined): number[] => [...(text ?? "").matchAll(/test\.long-(\d+)/gu)].map((m) => Number(m[1]));
    const first = actions(page.text);
    expect(first[0]).toBe(39);
    await a.press("⬅ Older");
    const older = await a.waitForBotMessage((m) => (m.id === page.id && m.text?.includes("older entries")) ?? false);
    expect(fits(older)).toBe(true);
    expect(actions(older.text)[0]).toBe((first.at(-1) ?? 0) - 1);
    expect(refused()).toEqual([]);
  });
});

describe("lists of buttons at Telegram's limits (100 buttons a message)", () => {
  /** 150 categories with long unicode names that HTML escapes. */
  const makeCategories = async (): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < 150; i++) {
      const made = await h.app.services.categories.create(`K${String(i).padStart(3, "0")} Физика & <Optik> 🎓 lecture series`, i % 2 === 0 ? "students" : "teachers", asha);
      if (!made.ok) throw new Error(`category ${i} not made`);
      ids.push(made.category.id);
    }
    return ids;
  };
  const buttonCount = (m: ViewMessage): number => m.buttons.flat().length;
  const dataOf = (m: ViewMessage, prefix: string): string[] => (m.keyboard ?? []).flat().map((b) => b.callbackData ?? "").filter((d) => d.startsWith(prefix));
  const nextPage = (m: ViewMessage): string | undefined => m.keyboard?.flat().find((b) => b.text.endsWith("▶"))?.callbackData;
  const fitsAll = (m: ViewMessage): void => {
    expect(fits(m)).toBe(true);
    expect(buttonCount(m)).toBeLessThanOrEqual(100);
    for (const b of (m.keyboard ?? []).flat()) expect(Buffer.byteLength(b.callbackData ?? "", "utf8")).toBeLessThanOrEqual(64);
  };
  /** Presses ▶ until the last page, checking each page; returns every callback data starting with `prefix`, in order. */
  const walkPages = async (a: ReturnType<typeof admin>, first: ViewMessage, prefix: string): Promise<string[]> => {
    const seen = [...dataOf(first, prefix)];
    let page = first;
    fitsAll(page);
    for (let n = 2; ; n++) {
      const next = nextPage(page);
      if (next === undefined) return seen;
      await a.pressData(next, page.id);
      page = await a.waitForBotMessage((m) => (m.id === first.id && m.edited === true && m.text?.includes(`(page ${n} of`)) ?? false);
      fitsAll(page);
      seen.push(...dataOf(page, prefix));
    }
  };

  test("/categories with 150 categories is paged: every page within limits, every category on one of them, and a category opens and comes back to its page", async () => {
    const ids = await makeCategories();
    const a = admin();
    await a.send("/categories");
    const list = await a.waitForBotMessage((m) => m.text?.startsWith("📂 Categories (150) (page 1 of 5)") ?? false);
    const opened = await walkPages(a, list, "c:o:");
    expect(opened).toEqual(ids.map((id) => `c:o:${id}`));
    // A category on the last page opens, and its back button returns to that page.
    await a.pressData(`c:o:${ids[140] ?? 0}`, list.id);
    const one = await a.waitForBotMessage((m) => (m.id === list.id && m.text?.startsWith("📂 K140")) ?? false);
    await a.pressData(one.keyboard?.flat().find((b) => b.text === "← Categories")?.callbackData ?? "", list.id);
    await a.waitForBotMessage((m) => (m.id === list.id && m.text?.includes("(page 5 of 5)")) ?? false);
    // Deleting a used category offers the others a page at a time.
    const video = await insertVideo(h.app.dataSource, "Physics/Optics_L01.mp4", { probed: true, category: ids[0] ?? 0 });
    expect(video).toBeGreaterThan(0);
    await a.pressData(`c:d:${ids[0] ?? 0}`, list.id);
    const move = await a.waitForBotMessage((m) => (m.id === list.id && m.text?.includes("Choose where they go")) ?? false);
    const targets = await walkPages(a, move, `c:m:${ids[0] ?? 0}:`);
    expect(targets.filter((d) => !d.endsWith(":0"))).toEqual(ids.slice(1).map((id) => `c:m:${ids[0] ?? 0}:${id}`));
    expect(targets).toContain(`c:m:${ids[0] ?? 0}:0`);
    expect(refused()).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });

  test("the channel map, a video's category panel, bulk category choice and /exports stay within 100 buttons with 150 categories", async () => {
    const ids = await makeCategories();
    h.emu.channel({ id: -1001234567890, title: "Students channel" });
    expect((await h.app.services.channels.add(-1001234567890, "students", asha)).ok).toBe(true);
    for (let i = 0; i < 3; i++) await insertVideo(h.app.dataSource, `Physics/Optics_L0${i}.mp4`, { probed: true });
    const a = admin();

    await a.send("/channels");
    await a.waitForBotMessage((m) => m.text?.startsWith("📣 Channels (1)") ?? false);
    await a.press("🔗 Which category posts where");
    const map = await a.waitForBotMessage((m) => (m.edited === true && m.text?.startsWith("🔗 Which category posts where (page 1 of 5)")) ?? false);
    expect(await walkPages(a, map, "ch:g:")).toEqual(ids.map((id) => `ch:g:${id}`));
    // Mapping a category on the last page shows that page again, with the choice made.
    await a.pressData(`ch:g:${ids[148] ?? 0}`, map.id);
    await a.waitForBotMessage((m) => (m.id === map.id && m.text?.startsWith("Where do videos of K148")) ?? false);
    const channelId = (await h.app.services.channels.list())[0]?.id ?? 0;
    await a.pressData(`ch:s:${ids[148] ?? 0}:${channelId}`, map.id);
    const mapped = await a.waitForBotMessage((m) => (m.id === map.id && m.text?.includes("(page 5 of 5)") && m.buttons.flat().some((b) => b.startsWith("K148") && b.includes("→ Students"))) ?? false);
    fitsAll(mapped);

    await a.send("optics");
    await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
    await a.press("1. Optics_L00.mp4");
    const card = await a.waitForBotMessage((m) => m.text?.startsWith("🎬 Optics_L00.mp4") ?? false);
    await a.press("📂 Category");
    const panel = await a.waitForBotMessage((m) => (m.id === card.id && m.text?.includes("Choose the video's category (one only) (page 1 of 5)")) ?? false);
    const choices = await walkPages(a, panel, "v:k:");
    expect(choices.filter((d) => !d.endsWith(":0")).map((d) => Number(d.split(":")[3]))).toEqual(ids);

    await a.send("/search optics");
    await a.waitForBotMessage((m) => m.text?.includes("match") ?? false);
    await a.press(/^📂 Set category for all/u);
    const bulk = await a.waitForBotMessage((m) => m.text?.startsWith("Which category should all 3 videos have? (page 1 of 5)") ?? false);
    const picked = await walkPages(a, bulk, "b:C:");
    expect(picked.filter((d) => !d.endsWith(":0")).map((d) => Number(d.split(":")[3]))).toEqual(ids);

    await a.send("/exports");
    const exportsView = await a.waitForBotMessage((m) => m.text?.startsWith("📡 HLS exports") ?? false);
    expect((await walkPages(a, exportsView, "hx:c:")).map((d) => Number(d.split(":")[2]))).toEqual(ids);

    expect(refused()).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });
});

describe("bulk edits, conversions and sync folders at Telegram's limits", () => {
  test("tagging 500 videos with 150 long tags: the question and the answer fit and count the rest, and every tag is saved", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 500; i++) ids.push(await insertVideo(h.app.dataSource, `Physics/Bulk_${String(i).padStart(3, "0")}_${"Ελληνικά_🎓_".repeat(8)}.mp4`, { probed: true }));
    const a = admin();
    await a.send("/search bulk");
    await a.waitForBotMessage((m) => m.text?.includes("500") ?? false);
    await a.press(/^🏷 Tag all/u);
    await a.waitForBotMessage((m) => m.text?.startsWith("Send the tags to add to all 500 videos") ?? false);
    const tags = Array.from({ length: 150 }, (_, i) => longTag(i));
    await a.send(tags.join(", "));
    const question = await a.waitForBotMessage((m) => m.text?.startsWith("Add t000 & <long> tag") ?? false);
    expect(fits(question)).toBe(true);
    expect(question.text).toMatch(/… and \d+ more tags to all 500 videos\?/u);
    await a.press("✅ Tag 500 videos");
    const done = await a.waitForBotMessage((m) => (m.id === question.id && m.text?.startsWith("Tagged 500 videos with")) ?? false);
    expect(fits(done)).toBe(true);
    expect(done.text).toMatch(/… and \d+ more tags \(the other 0 had them already\)\./u);
    for (const id of [ids[0] ?? 0, ids[499] ?? 0]) {
      expect(((await h.app.services.catalog.video(id))?.tags ?? []).map((t) => t.name).sort()).toEqual([...tags].sort());
    }
    await a.send("/undo");
    const undone = await a.waitForBotMessage((m) => m.text?.startsWith("Undone:") ?? false);
    expect(fits(undone)).toBe(true);
    expect(undone.text).toContain("500 videos are back as they were");
    expect(refused()).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });

  test("/convert with many jobs of very long names fits, listing the first ten", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await insertVideo(h.app.dataSource, `Physics/${String(i).padStart(2, "0")}_${"長い名前_<&>_🎬".repeat(40)}.mkv`, { probed: true }));
    const report = await h.app.services.conversions.request(ids, "bulk", asha);
    expect(report.queued.length).toBe(12);
    const a = admin();
    await a.send("/convert");
    const view = await a.waitForBotMessage((m) => m.text?.startsWith("🔄 Conversions") ?? false);
    expect(fits(view)).toBe(true);
    // The first ten are listed, long names shortened; the counts say how many there are in all (the bot's
    // runner may already be trying one: these files do not exist, so each attempt goes back to waiting).
    const [, running = "", waiting = ""] = /Running (\d+) · waiting (\d+)/u.exec(view.text ?? "") ?? [];
    expect(Number(running) + Number(waiting)).toBe(12);
    expect(view.text).toMatch(/^10\. ⏳ /mu);
    expect(view.buttons.flat().length).toBeLessThanOrEqual(100);
    expect(refused()).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });
});

describe("sync folders at Telegram's limits", () => {
  test("/sync with 40 folders of long paths is paged, each page fits, and every folder is on one", async () => {
    await h.stop();
    const lh = await startLibraryHarness();
    h = lh;
    const deep = Array.from({ length: 6 }, () => "Очень_длинная_папка_&_<лекции>_🎓").join("/");
    const made: number[] = [];
    for (let i = 0; i < 40; i++) {
      const source = join(lh.dataDir, `src-${i}`, deep);
      mkdirSync(source, { recursive: true });
      const result = await h.app.services.sync.register(asha, source, join(lh.library, `target-${i}`, deep));
      if (!result.ok) throw new Error(result.problem);
      made.push(result.folder.id);
    }
    const a = admin();
    await a.send("/sync");
    let page = await a.waitForBotMessage((m) => m.text?.startsWith("🔁 Sync folders (page 1 of 5)") ?? false);
    const seen: number[] = [];
    for (let n = 2; ; n++) {
      expect(fits(page)).toBe(true);
      expect(page.buttons.flat().length).toBeLessThanOrEqual(100);
      expect(page.text).not.toContain("… and");
      seen.push(...(page.keyboard ?? []).flat().map((b) => b.callbackData ?? "").filter((d) => d.startsWith("y:r:")).map((d) => Number(d.split(":")[2])));
      const next = page.keyboard?.flat().find((b) => b.text.endsWith("▶"))?.callbackData;
      if (next === undefined) break;
      await a.pressData(next, page.id);
      page = await a.waitForBotMessage((m) => (m.id === page.id && m.text?.includes(`(page ${n} of 5)`)) ?? false);
    }
    expect(seen).toEqual(made);
    expect(refused()).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });
});
