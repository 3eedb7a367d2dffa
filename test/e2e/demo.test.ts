import { expect, test } from "vitest";
import { runDemo } from "../../demo/session.js";

/** Where `part` first appears in the chat log after position `from`; fails when it does not. */
function at(chat: string, part: string, from = 0): number {
  const index = chat.indexOf(part, from);
  expect(index, `“${part}” after position ${from} in the chat log`).toBeGreaterThanOrEqual(0);
  return index;
}

/** Asserts the parts appear in this order in the chat log. */
function inOrder(chat: string, parts: readonly string[]): void {
  let from = 0;
  for (const part of parts) from = at(chat, part, from) + part.length;
}

test("npm run demo: the scripted admin session runs end to end and its transcript shows the chat as it happened", async () => {
  const printed: string[] = [];
  const result = await runDemo((line) => printed.push(line));
  expect(result.steps.filter((s) => /^\d+\./u.test(s))).toHaveLength(11);
  const chat = result.chat;
  // printed live, the same log
  expect(printed.join("\n")).toContain(chat);

  // scan, search, tag, categorise, convert, queue, publish, dedupe
  const milestones = [
    "Welcome to vidlib, Asha!",
    "✅ Scan finished",
    "found 5 · new 1",
    "🔎 1 video matches “jee advanced physics electrostatics lecture 4”",
    "Tags: electrostatics, JEE advanced",
    "Category: Physics (students)",
    "✅ Converted JEE-Adv_Phy-ElectroStatics_L04.ts → JEE-Adv_Phy-ElectroStatics_L04.mp4",
    "📤 Posted in Physics — Students",
    "📤 Upload queue",
    "🧹 2 duplicate pairs",
    "A was moved to the trash",
  ];
  for (const milestone of milestones) expect(chat, milestone).toContain(milestone);

  // The admin's taps are shown, each before the bot's answer to it, and the intermediate states too:
  // the scan's first message before its edit, the card's states from tags to category to converting.
  inOrder(chat, [
    "» Asha: /scan", "bot #", "🔎 Scanning the library", "bot ✎ edited #", "✅ Scan finished",
    "» Asha: jee advanced physics", "» Asha taps [1. JEE-Adv_Phy-ElectroStatics_L04.ts]", "🎬 JEE-Adv_Phy-ElectroStatics_L04.ts",
    "» Asha taps [🏷 Tags]", "bot ✎ edited #", "send them separated by commas",
    "» Asha: electrostatics, JEE advanced", "Added: electrostatics, JEE advanced", "» Asha taps [✔️ Done]",
    "» Asha taps [📂 Category]", "bot ✎ edited #", "Choose the video's category",
    "» Asha taps [Physics (students)]", "↳ toast: Category: Physics", "bot ✎ edited #", "Category: Physics (students)",
    "» Asha taps [🔄 Convert to MP4]", "↳ toast: Queued for conversion", "bot ✎ edited #", "✅ Converted", "🎞 MP4: JEE-Adv_Phy-ElectroStatics_L04.mp4",
    "» Asha taps [📤 Send to Physics — Students]", "↳ toast: Queued for its channel", "bot ✎ edited #", "📤 Posted in Physics — Students",
    "» Asha: /queue", "📤 Upload queue",
    "» Asha: /dupes", "🔍 Looking for duplicates", "bot ✎ edited #", "🧹 2 duplicate pairs",
    "» Asha taps [👀 Review one by one]", "[photo", "» Asha taps [🗑 Delete A]", "bot ✎ edited #", "A was moved to the trash",
  ]);
  // the admins' summary of the posts, after the tap that queued it
  at(chat, "📤 Posted 1 video", at(chat, "» Asha taps [📤 Send to Physics — Students]"));
  // an edit names the message it changed, which was shown before as sent
  const cardId = /bot ✎ edited #(\d+): 🎬 JEE-Adv_Phy-ElectroStatics_L04\.ts/u.exec(chat)?.[1];
  expect(cardId).toBeDefined();
  expect(chat.indexOf(`bot #${cardId ?? "?"}: 🎬 JEE-Adv_Phy-ElectroStatics_L04.ts`)).toBeLessThan(chat.indexOf(`bot ✎ edited #${cardId ?? "?"}:`));

  // The folder sync: registered from the bot, its one message from Calculating to the outcome, the files then in the library.
  inOrder(chat, [
    "── 10. Sync a folder", "» Asha: /sync", "🔁 Sync folders", "» Asha taps [➕ Add a sync folder]", "Send the full path",
    "Lecture uploads", "✅ Registered", "» Asha taps [🔄 Sync 1]", "Calculating…", "bot ✎ edited #", "✅ Sync finished", "Copied 2 files",
    "» Asha: thermodynamics", "🔎 2 videos match “thermodynamics”", "1. Thermodynamics_L01.mp4", "2. Thermodynamics_L02.mp4",
  ]);
  expect(result.synced).toBe("Lecture uploads/Thermodynamics_L01.mp4 (indexed)\nLecture uploads/Thermodynamics_L02.mp4 (indexed)");

  // The HLS export: from the card, followed in /exports, ready, and done when refreshed; its files on disk.
  inOrder(chat, [
    "── 11. Export a recording as HLS", "» Asha taps [2. Thermodynamics_L02.mp4]", "🎬 Thermodynamics_L02.mp4", "1280×720",
    "» Asha taps [📡 HLS export]", "↳ toast: Queued 1 for HLS export", "» Asha: /exports", "📡 HLS exports for the web player", "Thermodynamics_L02.mp4",
  ]);
  // the job may finish before or after /exports answers; the admin refreshes once told it is ready
  const exportTap = at(chat, "» Asha taps [📡 HLS export]");
  const ready = at(chat, "📡 HLS export ready: Thermodynamics_L02.mp4", exportTap);
  at(chat, "360p, 720p · ", ready);
  inOrder(chat.slice(ready), ["» Asha taps [🔄 Refresh]", "bot ✎ edited #", "done 1 · failed 0", "✅ Thermodynamics_L02.mp4 360p, 720p"]);
  const exported = result.exported.split("\n");
  const folder = exported[0]?.split("/")[0] ?? "";
  expect(folder).toMatch(/^\d+ - Thermodynamics_L02$/u);
  for (const file of ["master.m3u8", "360p/index.m3u8", "720p/index.m3u8"]) expect(exported).toContain(`${folder}/${file}`);
  for (const rung of ["360p", "720p"]) expect(exported.some((f) => new RegExp(`^${folder}/${rung}/[^/]+\\.ts$`, "u").test(f)), rung).toBe(true);
  expect(exported.some((f) => f.includes("1080p"))).toBe(false);

  // The final states: what the channel shows, the queue, the audit trail.
  expect(result.channel).toContain("[video JEE-Adv_Phy-ElectroStatics_L04.mp4 3s]");
  expect(result.channel).toContain("#Physics #electrostatics #JEE_advanced");
  expect(result.queue).toBe("sent       JEE-Adv_Phy-ElectroStatics_L04.mp4 → Physics — Students");
  const actions = ["library.scan", "video.tags", "video.category", "conversion.done", "upload.enqueue", "upload.sent", "dupes.trash",
    "sync.folder.add", "sync.start", "sync.finish", "export.request", "export.done"];
  for (const action of actions) expect(result.audit).toMatch(new RegExp(`\\d+  ${action.replaceAll(".", "\\.")}$`, "mu"));
  // what CI counts: the admin's sends and taps, one line each
  expect(chat.split("\n").filter((l) => l.startsWith("» Asha taps [")).length).toBeGreaterThanOrEqual(15);
});
