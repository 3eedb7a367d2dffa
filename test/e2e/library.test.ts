import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startAppHarness, type AppHarness } from "../support/app-harness.js";
import { makeClip } from "../support/media.js";
import { ProbeGate } from "../support/probe-gate.js";
import { makeTempDir } from "../support/temp-dir.js";
import { HANG_GUARD_MS } from "../support/patience.js";

let clips: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  clips = makeTempDir("vidlib-clips-");
  for (let n = 1; n <= 5; n++) makeClip(join(clips.dir, `c${n}.mp4`), { seconds: 1 + n / 10, tag: `c${n}` });
});
afterAll(() => clips.cleanup());

let h: AppHarness | undefined;
let tmp: ReturnType<typeof makeTempDir>;
afterEach(async () => {
  if (h !== undefined) {
    expect(h.emu.violations).toEqual([]);
    await h.stop();
    h = undefined;
  }
  tmp.cleanup();
});

/** A library root with five real clips, with names that need escaping. */
function library(): string {
  tmp = makeTempDir();
  const root = join(tmp.dir, "Lectures <&> 🎬");
  mkdirSync(join(root, "Phy"), { recursive: true });
  const names = ["JEE-Adv_Phy-ElectroStatics_L04.mp4", "a <b>&amp; *x*.mp4", "L01.mp4", "L02.mp4", "L03.mp4"];
  names.forEach((name, i) => copyFileSync(join(clips.dir, `c${i + 1}.mp4`), join(root, "Phy", name)));
  writeFileSync(join(root, "Phy", "broken <1>.mp4"), "not a video");
  return root;
}

const start = (root: string) => startAppHarness({ LIBRARY_ROOTS: root, SCAN_SETTLE_SECONDS: "0", WATCH: "false", RECONCILE_INTERVAL_MINUTES: "0" });

test("/scan shows one progress message, edited in place, ending in a summary that lists the problems", async () => {
  const root = library();
  h = await start(root);
  await waitFor(async () => (await h!.app.services.library.status((t) => t)).includes("Videos: 5"));
  // The start-up scan has indexed the library; change it so that /scan has work to report.
  renameSync(join(root, "Phy", "L01.mp4"), join(root, "L01 moved.mp4"));
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/scan");
  const summary = await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false);
  // Unreadable is the library's count (the broken file from the start-up scan), as /status shows it.
  expect(summary.text).toContain("found 6 · new 0 · changed 0 · moved 1 · missing 0 · unreadable 1");
  const botMessages = admin.messages().filter((m) => m.from === "bot");
  expect(botMessages).toHaveLength(1);
  expect(botMessages[0]!.id).toBe(summary.id);
});

test("the start-up scan indexes the library and /status shows the totals, escaped", async () => {
  const root = library();
  h = await start(root);
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await waitFor(async () => (await h!.app.services.library.status((t) => t)).includes("Videos: 5"));
  await admin.send("/status");
  const status = await admin.waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
  expect(status.text).toContain("Videos: 5 (0.0 h,");
  expect(status.text).toContain("Unreadable: 1 · Missing: 0");
  expect(status.text).toContain("• ✓ Lectures <&> 🎬");
  expect(status.text).not.toContain(tmp.dir);
  expect(status.text).toMatch(/Last scan: (just now|1 second ago|\d+ seconds ago)$/);
});

test("the unreadable file is named in the /scan summary, escaped for Telegram", async () => {
  const root = library();
  h = await start(root);
  await waitFor(async () => (await h!.app.services.library.status((t) => t)).includes("Unreadable: 1"));
  writeFileSync(join(root, "Phy", "second <bad> & broken.ts"), "garbage");
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/scan");
  const summary = await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false);
  expect(summary.text).toContain("Unreadable files found by this scan:\n• Phy/second <bad> & broken.ts — Invalid data found when processing input");
  expect(summary.text).toContain("missing 0 · unreadable 2\n(this scan: 1 newly unreadable)");
  expect(summary.text).not.toContain(tmp.dir);
});

test("an unmounted library root marks nothing missing and the admins are alerted with the numbers", async () => {
  const root = library();
  h = await start(root);
  await waitFor(async () => (await h!.app.services.library.status((t) => t)).includes("Videos: 5"));
  renameSync(root, join(tmp.dir, "unmounted"));
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/scan");
  const alert = await admin.waitForBotMessage((m) => m.text?.startsWith("⚠️ Library folder needs attention") ?? false);
  expect(alert.text).toContain("\nLectures <&> 🎬: the folder is gone (is the share mounted?).");
  expect(alert.text).toContain("6 indexed files were not found there; to be safe nothing was marked missing.");
  await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false);
  expect((await h.app.services.library.status((t) => t))).toContain("Missing: 0");
});

test("/scan while a scan is running says so, with that scan's progress", async () => {
  tmp = makeTempDir();
  const root = join(tmp.dir, "big");
  mkdirSync(root);
  for (let i = 0; i < 20; i++) copyFileSync(join(clips.dir, "c1.mp4"), join(root, `L${i}.mp4`));
  // The probes wait at a gate, so the first scan is surely still running when /scan arrives, however busy the machine.
  const gate = new ProbeGate();
  try {
    h = await startAppHarness({ LIBRARY_ROOTS: root, SCAN_SETTLE_SECONDS: "0", WATCH: "false", RECONCILE_INTERVAL_MINUTES: "0", FFPROBE_PATH: gate.ffprobePath, PROBE_TIMEOUT_SECONDS: "3600" });
    const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
    await waitFor(() => Promise.resolve(h!.app.services.library.scanProgress !== null));
    await admin.send("/scan");
    const busy = await admin.waitForBotMessage(() => true);
    expect(busy.text).toMatch(/^A scan is already running\.\n\n🔎 Scanning the library… \(/);
    gate.open();
    // The message follows that scan to its end.
    const summary = await admin.waitForBotMessage((m) => m.text?.startsWith("✅ Scan finished") ?? false);
    expect(summary.id).toBe(busy.id);
    expect(summary.text).toContain("found 20 · new 20");
    expect(summary.text).toContain("Started at start-up.");
    expect(h.emu.violations).toEqual([]);
  } finally {
    gate.open();
    await h?.stop();
    h = undefined;
    gate.cleanup();
  }
});

test("/scan without library folders says how to add them", async () => {
  tmp = makeTempDir();
  h = await startAppHarness();
  const admin = h.emu.user({ id: ADMIN_ID, firstName: "Asha" });
  await admin.send("/scan");
  await admin.waitForBotMessage((m) => m.text?.startsWith("No library folders are configured.") ?? false);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = HANG_GUARD_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
