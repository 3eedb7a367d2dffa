import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { copyFileSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";
import { makeClip } from "../support/media.js";
import { ProbeGate } from "../support/probe-gate.js";
import { ShiftedClock } from "../support/publish-harness.js";
import { makeTempDir } from "../support/temp-dir.js";
import type { ViewMessage } from "../support/telegram/index.js";

const SECOND_ADMIN = 1002;
const LONG_WAIT = { timeoutMs: 30_000 };

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

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
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
