import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { copyFileSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";
import { makeClip } from "../support/media.js";
import { ProbeGate } from "../support/probe-gate.js";
import { ShiftedClock } from "../support/publish-harness.js";
import { makeTempDir } from "../support/temp-dir.js";
import type { ViewMessage } from "../support/telegram/index.js";
import { HANG_GUARD_MS } from "../support/patience.js";

const SECOND_ADMIN = 1002;
const LONG_WAIT = { timeoutMs: HANG_GUARD_MS };

let clips: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  clips = makeTempDir("vidlib-clips-");
  for (let n = 1; n <= 4; n++) makeClip(join(clips.dir, `c${n}.mp4`), { seconds: 1 + n / 10, tag: `c${n}` });
});
afterAll(() => clips.cleanup());

let h: AppHarness | undefined;
let tmp: ReturnType<typeof makeTempDir>;
let gate: ProbeGate | undefined;
afterEach(async () => {
  gate?.open();
  if (h !== undefined) {
    expect(h.emu.violations).toEqual([]);
    await h.stop();
    h = undefined;
  }
  gate?.cleanup();
  gate = undefined;
  tmp.cleanup();
});

/** A library folder with four real clips (a.mp4 … d.mp4) and one file that is not a video. */
function library(name = "Lectures <&> 🎬"): string {
  tmp = makeTempDir();
  const root = join(tmp.dir, name);
  mkdirSync(join(root, "Phy"), { recursive: true });
  ["a", "b", "c", "d"].forEach((n, i) => copyFileSync(join(clips.dir, `c${i + 1}.mp4`), join(root, "Phy", `${n}.mp4`)));
  writeFileSync(join(root, "Phy", "broken <1>.mp4"), "not a video");
  return root;
}

const env = (root: string, extra: Record<string, string> = {}): Record<string, string> => ({
  LIBRARY_ROOTS: root, SCAN_SETTLE_SECONDS: "0", WATCH: "false", RECONCILE_INTERVAL_MINUTES: "0", ADMIN_IDS: `${ADMIN_ID},${SECOND_ADMIN}`,
  PROBE_CONCURRENCY: "8", PROBE_TIMEOUT_SECONDS: "3600", ...extra,
});

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = HANG_GUARD_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const statusOf = (): Promise<string> => h!.app.services.library.status((t) => t);
const botMessages = (user: { messages(): ViewMessage[] }): ViewMessage[] => user.messages().filter((m) => m.from === "bot");

test("/scan during the start-up scan follows it in one message, edited with honest counters until the summary", async () => {
  const root = library();
  gate = new ProbeGate();
  h = await startAppHarness(env(root, { FFPROBE_PATH: gate.ffprobePath }));
  const { library: lib } = h.app.services;
  await waitFor(() => lib.scanProgress?.phase === "probing");
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/scan");
  const first = await admin.waitForBotMessage(() => true);
  expect(first.text).toMatch(/^A scan is already running\.\n\n🔎 Scanning the library… \(reading 0 of 5 new or changed files\)\n/);
  // What is known: five files found, all five new and still being read; nothing is "new 0", and no rate before reading.
  expect(first.text).toContain("found 5 files · 5 new to read, 5 still being read");
  expect(first.text).not.toMatch(/new 0|files\/s/);
  expect(first.text).toContain("Started at start-up; this message follows it to the end.");

  gate.release("a.mp4", "broken <1>.mp4");
  const middle = await admin.waitForBotMessage((m) => m.id === first.id && (m.text?.includes("reading 2 of 5") ?? false), LONG_WAIT);
  expect(middle.text).toContain("5 new to read, 3 still being read");
  expect(middle.text).toContain("1 unreadable so far");
  expect(middle.text).toMatch(/[\d.]+ files\/s · /);
  expect(middle.text).toContain("Started at start-up");

  gate.open();
  const summary = await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false, LONG_WAIT);
  expect(summary.id).toBe(first.id);
  expect(summary.text).toContain("found 5 · new 5 · changed 0 · moved 0 · missing 0 · unreadable 1");
  expect(summary.text).toContain("• Phy/broken <1>.mp4 — Invalid data found when processing input");
  expect(summary.text).toContain("Started at start-up.");
  expect(summary.buttons).toEqual([["📋 Unreadable and missing files"]]);
  expect(botMessages(admin)).toHaveLength(1);
});

test("a second admin's /scan follows the scan the first admin started; both messages end in the same summary", async () => {
  const root = library();
  gate = new ProbeGate();
  gate.release("a.mp4", "b.mp4", "c.mp4", "d.mp4", "broken <1>.mp4");
  h = await startAppHarness(env(root, { FFPROBE_PATH: gate.ffprobePath }));
  const { library: lib } = h.app.services;
  await waitFor(async () => lib.scanProgress === null && (await statusOf()).includes("Videos: 4"));
  // Two new files whose probes wait at the gate: Asha's scan is held while reading them.
  for (const n of ["e", "f"]) copyFileSync(join(clips.dir, "c1.mp4"), join(root, `${n}.mp4`));
  const asha = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  const ravi = h.emu.user({ id: SECOND_ADMIN, firstName: "Ravi" });
  await asha.send("/scan");
  const started = await asha.waitForBotMessage(() => true);
  expect(started.text).toMatch(/^🔎 Scanning the library… \(/);
  await waitFor(() => lib.scanProgress?.phase === "probing");
  await ravi.send("/scan");
  const followed = await ravi.waitForBotMessage(() => true);
  expect(followed.text).toMatch(/^A scan is already running\.\n\n🔎 Scanning the library… \(reading 0 of 2 new or changed files\)/);
  expect(followed.text).toContain("found 7 files · 2 new to read, 2 still being read");
  expect(followed.text).toContain("Started by Asha; this message follows it to the end.");
  gate.open();
  const mine = await asha.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false, LONG_WAIT);
  const theirs = await ravi.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false, LONG_WAIT);
  expect(mine.id).toBe(started.id);
  expect(theirs.id).toBe(followed.id);
  for (const summary of [mine, theirs]) expect(summary.text).toContain("found 7 · new 2 · changed 0 · moved 0 · missing 0 · unreadable 1");
  expect(theirs.text).toContain("Started by Asha.");
  expect(botMessages(ravi)).toHaveLength(1);
});

test("/status → the unreadable and missing files with their reasons, paged within Telegram's limit, paths relative to the folder", async () => {
  tmp = makeTempDir();
  const root = join(tmp.dir, "Lectures");
  const deep = join(root, "Chemistry <&> 🧪", "Organic");
  mkdirSync(deep, { recursive: true });
  // Long names (near the 255-byte limit, with emoji and characters that need escaping): empty files are unreadable.
  const name = (i: number): string => `${String(i).padStart(2, "0")} ${"Lecture <b> & notes 🎬 ".repeat(9)}.mp4`;
  for (let i = 0; i < 50; i++) writeFileSync(join(deep, name(i)), "");
  copyFileSync(join(clips.dir, "c1.mp4"), join(root, "good.mp4"));
  const clock = new ShiftedClock();
  h = await startAppHarness(env(root, { SCAN_MAX_MISSING_PERCENT: "100" }), clock);
  await waitFor(async () => h!.app.services.library.scanProgress === null && (await statusOf()).includes("Unreadable: 50"));
  for (let i = 0; i < 20; i++) rmSync(join(deep, name(i)));
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/scan");
  const summary = await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false, LONG_WAIT);
  // The library's counts, as /status shows them.
  expect(summary.text).toContain("missing 20 · unreadable 30");
  expect(summary.text).toContain("(this scan: 20 newly missing)");
  clock.advance(3 * 3600_000 + 5 * 60_000);

  await admin.send("/status");
  const status = await admin.waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
  expect(status.text).toContain("Unreadable: 30 · Missing: 20");
  expect(status.text).toContain("• ✓ Lectures");
  expect(status.buttons).toEqual([["📋 Unreadable and missing files"]]);
  await admin.press("📋 Unreadable and missing files");
  const pages: ViewMessage[] = [await admin.waitForBotMessage((m) => m.text?.startsWith("📋 Unreadable and missing files") ?? false)];
  expect(botMessages(admin).at(-1)!.id).toBe(pages[0]!.id); // a new message below /status
  while (pages.at(-1)!.buttons.flat().includes("Next ▶")) {
    await admin.press("Next ▶");
    pages.push(await admin.waitForBotMessage((m) => m.id === pages[0]!.id));
  }
  expect(pages).toHaveLength(4);
  pages.forEach((page, i) => {
    expect(page.text).toContain(`page ${i + 1} of 4`);
    expect(page.text!.length).toBeLessThanOrEqual(4096);
    expect(page.text).not.toContain(tmp.dir);
  });
  expect(pages[3]!.buttons).toEqual([["◀ Previous"]]);
  const lines = pages.flatMap((p) => p.text!.split("\n").filter((l) => l.startsWith("⚠️ ") || l.startsWith("❓ ")));
  expect(lines).toHaveLength(50);
  expect(lines.filter((l) => l.startsWith("⚠️ "))).toHaveLength(30);
  const unreadable = lines.find((l) => l.startsWith("⚠️ "))!;
  expect(unreadable).toMatch(/^⚠️ Chemistry <&> 🧪\/Organic\/20 Lecture <b> & notes .*… .*\.mp4 — the file is empty \(0 bytes\)$/u);
  const missing = lines.filter((l) => l.startsWith("❓ "));
  expect(missing).toHaveLength(20);
  expect(missing[0]).toMatch(/^❓ Chemistry <&> 🧪\/Organic\/00 Lecture .*\.mp4 — not found at its path for 3 hours 5 minutes$/u);
  await admin.press("◀ Previous");
  const back = await admin.waitForBotMessage((m) => m.id === pages[0]!.id);
  expect(back.text).toContain("page 3 of 4");
});

test("an unmounted share shows as unreachable in /status; when it is back the admins get one all-clear", async () => {
  const root = library();
  h = await startAppHarness(env(root));
  await waitFor(async () => h!.app.services.library.scanProgress === null && (await statusOf()).includes("Videos: 4"));
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  // Unmounted: the mount point is there, empty.
  renameSync(root, join(tmp.dir, "share"));
  mkdirSync(root);
  await admin.send("/status");
  let status = await admin.waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
  expect(status.text).toContain("• ✗ Lectures <&> 🎬 — unreachable: the folder is empty but 5 files are indexed there (is the share mounted?)");
  expect(status.text).not.toContain("✓");
  rmdirSync(root);
  await admin.send("/status");
  status = await admin.waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
  expect(status.text).toContain("• ✗ Lectures <&> 🎬 — unreachable: the folder is gone (is the share mounted?)");

  await admin.send("/scan");
  const alert = await admin.waitForBotMessage((m) => m.text?.startsWith("⚠️ Library folder needs attention") ?? false, LONG_WAIT);
  expect(alert.text).toContain("Lectures <&> 🎬: the folder is gone (is the share mounted?).");
  expect(alert.text).not.toContain(tmp.dir);
  await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false, LONG_WAIT);

  renameSync(join(tmp.dir, "share"), root);
  await admin.send("/status");
  status = await admin.waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
  expect(status.text).toContain("• ⚠️ Lectures <&> 🎬 — needs attention: the folder is gone (is the share mounted?)");
  for (let i = 0; i < 2; i++) {
    await admin.send("/scan");
    await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false, LONG_WAIT);
  }
  const allClear = admin.messages().filter((m) => m.text?.startsWith("✅ Library folder is back") ?? false);
  expect(allClear).toHaveLength(1);
  expect(allClear[0]!.text).toBe("✅ Library folder is back\nLectures <&> 🎬 can be read again: 5 files found there. Scans mark files missing again as usual.");
  await admin.send("/status");
  status = await admin.waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
  expect(status.text).toContain("• ✓ Lectures <&> 🎬");
});

test("/status says when the last scan was in words: seconds, minutes, hours, days", async () => {
  const root = library();
  const clock = new ShiftedClock();
  h = await startAppHarness(env(root), clock);
  await waitFor(async () => h!.app.services.library.scanProgress === null && (await statusOf()).includes("Videos: 4"));
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  const lastScan = async (): Promise<string> => {
    await admin.send("/status");
    const status = await admin.waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
    return /Last scan: (.*)/.exec(status.text ?? "")?.[1] ?? "";
  };
  expect(await lastScan()).toMatch(/^(just now|1 second ago|\d+ seconds ago)$/);
  clock.advance(34 * 60_000);
  expect(await lastScan()).toBe("34 minutes ago");
  clock.advance(27 * 60_000);
  expect(await lastScan()).toBe("1 hour ago");
  clock.advance(2 * 86_400_000);
  expect(await lastScan()).toBe("2 days ago");
});
