import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, linkSync, lstatSync, mkdirSync, existsSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startLibraryHarness, type LibraryHarness } from "../support/app-harness.js";
import { streamsOf } from "../support/frames.js";
import { makeClip } from "../support/media.js";
import { userActor } from "../../src/services/people/actor.js";
import { TRASH_PURGE } from "../../src/services/trash/trash.js";
import { AuditEvent } from "../../src/entities/audit-event.js";
import { FileMove } from "../../src/entities/file-move.js";
import { Video } from "../../src/entities/video.js";
import { IsNull, Like } from "typeorm";

let h: LibraryHarness;
let lib: { dir: string };
const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });

const scan = (): Promise<void> => h.scan();
const idOf = async (relativePath: string): Promise<number> =>
  (await h.app.dataSource.getRepository(Video).findOne({ select: { id: true }, where: { relativePath } }))?.id ?? 0;
const remux = (from: string, to: string): void => { execFileSync("ffmpeg", ["-v", "error", "-y", "-i", from, "-c", "copy", "-movflags", "+faststart", to]); };

beforeEach(async () => {
  h = await startLibraryHarness();
  lib = { dir: h.library };
  // Two .ts/.mp4 pairs, an exact copy in another folder, and a near-copy that only a full hash tells apart.
  for (const n of [1, 2]) {
    makeClip(join(lib.dir, "Phy", `L${n}.ts`), { seconds: n + 1 });
    remux(join(lib.dir, "Phy", `L${n}.ts`), join(lib.dir, "Phy", `L${n}.mp4`));
  }
  makeClip(join(lib.dir, "Maths", "Algebra.mp4"), { seconds: 2 });
  mkdirSync(join(lib.dir, "Backup"));
  copyFileSync(join(lib.dir, "Maths", "Algebra.mp4"), join(lib.dir, "Backup", "Algebra.mp4"));
  makeClip(join(lib.dir, "Chem", "Big.mkv"), { seconds: 10, size: "640x360", pattern: "testsrc2", rate: 25 });
  const near = readFileSync(join(lib.dir, "Chem", "Big.mkv"));
  const middle = Math.floor(near.length / 2);
  near[middle] = (near[middle] ?? 0) ^ 0xff;
  writeFileSync(join(lib.dir, "Chem", "Big copy.mkv"), near);
});
afterEach(async () => {
  await h.stop();
});

describe("/dupes", () => {
  test("lists pairs, shows each as a picture, deletes to the trash with undo, keeps both for good, and refuses changed files", async () => {
    await scan();
    const l1ts = await idOf("Phy/L1.ts");
    await h.app.services.catalog.addTags(l1ts, ["revision"], userActor(ADMIN_ID, "owner"));
    const a = admin();
    await a.send("/dupes");
    const summary = await a.waitForBotMessage((m) => m.text?.startsWith("🧹 3 duplicate pairs") ?? false);
    expect(summary.text).toContain("2 .ts/.mp4, 1 exact copy; 3 verified");

    await a.press("👀 Review one by one");
    const first = await a.waitForBotMessage((m) => m.media?.kind === "photo");
    expect(first.caption).toContain("A (to clean up): L1.ts");
    expect(first.caption).toContain("B (stays): L1.mp4");
    expect(first.caption).toContain("verified: the MP4 plays in Telegram");
    await a.press("🗑 Delete A");
    await a.waitForBotMessage((m) => m.id === first.id && (m.caption?.includes("moved to the trash") ?? false));
    expect(existsSync(join(lib.dir, "Phy", "L1.ts"))).toBe(false);
    expect(readdirSync(join(h.dataDir, "trash")).length).toBe(1);
    expect(((await h.app.services.catalog.video(await idOf("Phy/L1.mp4")))?.tags ?? []).map((t) => t.name)).toEqual(["revision"]);
    expect((await h.app.services.catalog.video(l1ts))?.status).toBe("missing");
    const second = await a.waitForBotMessage((m) => m.media?.kind === "photo" && (m.caption?.includes("L2.ts") ?? false));
    await a.press("↩ Undo");
    await a.waitForBotMessage((m) => m.text?.startsWith("↩ Restored to") ?? false);
    expect(existsSync(join(lib.dir, "Phy", "L1.ts"))).toBe(true);
    expect((await h.app.services.catalog.video(l1ts))?.status).toBe("indexed");

    await a.press("✋ Keep both");
    await a.waitForBotMessage((m) => m.id === second.id && (m.caption?.includes("will not be proposed again") ?? false));
    const third = await a.waitForBotMessage((m) => m.media?.kind === "photo" && (m.caption?.includes("exact copy") ?? false));
    expect(third.caption).toContain("Algebra.mp4");
    appendFileSync(join(lib.dir, "Backup", "Algebra.mp4"), "changed");
    await a.press("🗑 Delete A");
    await a.waitForBotMessage((m) => m.id === third.id && (m.caption?.includes("changed since this was shown") ?? false));
    expect(existsSync(join(lib.dir, "Backup", "Algebra.mp4"))).toBe(true);

    // Kept pairs are never proposed again; the near-copy was never proposed (a full hash told them apart).
    await a.send("/dupes");
    const again = await a.waitForBotMessage((m) => /^🧹 \d+ duplicate pairs?/.test(m.text ?? "") || (m.text?.startsWith("✨") ?? false));
    expect(again.text).not.toContain("L2");
    expect(a.transcript()).not.toContain("Big copy.mkv");
    const events = (await h.app.dataSource.getRepository(AuditEvent).find({ select: { action: true }, where: { action: Like("dupes.%") }, order: { id: "ASC" } })).map((e) => e.action);
    expect(events).toEqual(["dupes.trash", "dupes.restore", "dupes.keep_both"]);
  });

  test("apply to all verified pairs asks with the count, moves them to the trash, /trash restores, and the trash empties after its days", async () => {
    await scan();
    const a = admin();
    await a.send("/dupes");
    await a.waitForBotMessage((m) => m.text?.startsWith("🧹 3 duplicate pairs") ?? false);
    await a.press("🗑 Delete A of all 3 verified…");
    await a.waitForBotMessage((m) => m.text?.startsWith("Move file A of all 3 verified pairs to the trash") ?? false);
    await a.press("✅ Delete 3");
    await a.waitForBotMessage((m) => m.text?.startsWith("✅ 3 moved to the trash") ?? false);
    expect(readdirSync(join(lib.dir, "Phy")).sort()).toEqual(["L1.mp4", "L2.mp4"]);
    expect(existsSync(join(lib.dir, "Backup", "Algebra.mp4"))).toBe(false);
    await a.send("/trash");
    const trash = await a.waitForBotMessage((m) => m.text?.startsWith("🗑 Recently moved") ?? false);
    expect(trash.buttons.flat().filter((b) => b.startsWith("↩ Restore")).length).toBe(3);
    await a.press(/^↩ Restore 1\./);
    await a.waitForBotMessage((m) => m.text?.startsWith("↩ Restored to") ?? false);
    // Two files remain in the trash; once their days are up the hourly purge job removes them for good.
    expect(readdirSync(join(h.dataDir, "trash"))).toHaveLength(2);
    await h.app.dataSource.getRepository(FileMove).update({ undoneAt: IsNull() }, { expiresAt: 1 });
    const { job } = await h.app.services.jobs.enqueue(TRASH_PURGE, null);
    await waitUntil(async () => (await h.app.services.jobs.get(job.id))?.state === "done");
    expect(readdirSync(join(h.dataDir, "trash"))).toEqual([]);
    expect(await h.app.services.dupes.purgeExpired()).toBe(0);
  });

  test("the comparison picture holds a frame of each file side by side", async () => {
    await scan();
    const { pairs } = await h.app.services.dupes.find();
    const view = pairs[0];
    if (view === undefined) throw new Error("no pair found");
    const picture = await h.app.services.dupes.picture(view);
    expect(picture).not.toBeNull();
    const [image] = streamsOf(picture ?? "");
    // Two 160x90 frames scaled to 360 high (640 wide each, 8 px apart), with a 44 px label bar under them.
    expect(image).toMatchObject({ codec_name: "mjpeg", height: 360 + 44 });
    expect(image?.width).toBe(640 + 8 + 640);
  });

  describe("links: no delete ever removes the only real copy", () => {
    const algebra = () => join(lib.dir, "Maths", "Algebra.mp4");
    const backup = () => join(lib.dir, "Backup", "Algebra.mp4");
    /** B (the file that stays) becomes a link to A after the pair was shown: its size and time still match what was shown. */
    const turnBIntoALinkToA = (): void => {
      rmSync(algebra());
      symlinkSync(join("..", "Backup", "Algebra.mp4"), algebra());
    };
    beforeEach(() => {
      // One time for both copies, so that after B becomes a link to A the shown sizes and times still agree: only the link check can refuse.
      const when = new Date(Date.now() - 60_000);
      for (const path of [algebra(), backup()]) utimesSync(path, when, when);
    });

    test("a symlinked file is not a video of its own, and a hard link is shown as the same file, never offered for deletion", async () => {
      rmSync(join(lib.dir, "Chem"), { recursive: true });
      mkdirSync(join(lib.dir, "Shortcuts"));
      symlinkSync(join("..", "Phy", "L1.ts"), join(lib.dir, "Shortcuts", "Latest.ts"));
      symlinkSync("Maths", join(lib.dir, "A maths link"));
      mkdirSync(join(lib.dir, "Best of"));
      linkSync(join(lib.dir, "Phy", "L2.mp4"), join(lib.dir, "Best of", "L2.mp4"));
      await scan();
      // Sorted here, by code unit (as SQLite's binary collation would): PostgreSQL's collation follows the server's locale.
      const paths = (await h.app.dataSource.getRepository(Video).find({ select: { relativePath: true } })).map((r) => r.relativePath).sort();
      expect(paths).toEqual(["Backup/Algebra.mp4", "Best of/L2.mp4", "Maths/Algebra.mp4", "Phy/L1.mp4", "Phy/L1.ts", "Phy/L2.mp4", "Phy/L2.ts"]);

      const a = admin();
      await a.send("/dupes");
      const summary = await a.waitForBotMessage((m) => /^🧹 \d+ duplicate pairs?/.test(m.text ?? ""));
      expect(summary.text).toContain("🧹 4 duplicate pairs: 2 .ts/.mp4, 1 exact copy, 1 file under two names (links, nothing to delete); 3 verified.");
      expect(summary.text).not.toContain("Latest");
      expect(summary.buttons.flat()).toContain("🗑 Delete A of all 3 verified…");

      await a.press("👀 Review one by one");
      // The pairs come one by one; Next › moves on until the hard-linked pair is shown (at most four pairs).
      const shown = new Set<number>([summary.id]);
      let same = await a.waitForBotMessage((m) => !shown.has(m.id) && m.buttons.flat().includes("Next ›"));
      for (let n = 0; n < 3 && !(same.caption ?? same.text ?? "").includes("the same file under two names"); n++) {
        shown.add(same.id);
        await a.press("Next ›");
        same = await a.waitForBotMessage((m) => !shown.has(m.id) && m.buttons.flat().includes("Next ›"));
      }
      const text = same.caption ?? same.text ?? "";
      expect(text).toContain("A and B are hard links: one file under two names, so deleting A frees no space and is not offered.");
      expect(same.buttons.flat()).not.toContain("🗑 Delete A");
      expect(same.buttons.flat()).not.toContain("📦 Archive A");
      expect(same.buttons.flat()).toContain("✋ Keep both");
    });

    test("Delete A refuses when B has become a link to A since the pair was shown; A stays where it is", async () => {
      await scan();
      const a = admin();
      await a.send("/dupes");
      await a.waitForBotMessage((m) => m.text?.startsWith("🧹 3 duplicate pairs") ?? false);
      await a.press("👀 Review one by one");
      await a.waitForBotMessage((m) => m.media?.kind === "photo" && (m.caption?.includes("L1.ts") ?? false));
      await a.press("Next ›");
      await a.waitForBotMessage((m) => m.media?.kind === "photo" && (m.caption?.includes("L2.ts") ?? false));
      await a.press("Next ›");
      const exact = await a.waitForBotMessage((m) => m.media?.kind === "photo" && (m.caption?.includes("exact copy") ?? false));
      expect(exact.caption).toContain("A (to clean up): Algebra.mp4\n📁 Backup");
      turnBIntoALinkToA();
      await a.press("🗑 Delete A");
      const refused = await a.waitForBotMessage((m) => m.id === exact.id && (m.caption?.includes("Nothing was done") ?? false));
      expect(refused.caption).toContain("❌ Nothing was done: B is only a link to A: they are one file, so deleting A is not offered");
      expect(lstatSync(backup()).isFile()).toBe(true);
      expect(readFileSync(algebra()).length).toBe(statSync(backup()).size);
      expect(existsSync(join(h.dataDir, "trash")) ? readdirSync(join(h.dataDir, "trash")) : []).toEqual([]);
    });

    test("Delete A of all verified pairs skips a pair whose B has become a link to its A", async () => {
      await scan();
      const a = admin();
      await a.send("/dupes");
      await a.waitForBotMessage((m) => m.text?.startsWith("🧹 3 duplicate pairs") ?? false);
      await a.press("🗑 Delete A of all 3 verified…");
      await a.waitForBotMessage((m) => m.text?.startsWith("Move file A of all 3 verified pairs to the trash") ?? false);
      turnBIntoALinkToA();
      await a.press("✅ Delete 3");
      const done = await a.waitForBotMessage((m) => m.text?.startsWith("✅ 2 moved to the trash") ?? false);
      expect(done.text).toContain("1 skipped");
      expect(lstatSync(backup()).isFile()).toBe(true);
      expect(readFileSync(algebra()).length).toBeGreaterThan(0);
      expect(readdirSync(join(lib.dir, "Phy")).sort()).toEqual(["L1.mp4", "L2.mp4"]);
    });

    test("one verified pair is worded in the singular", async () => {
      for (const dir of ["Phy", "Chem"]) rmSync(join(lib.dir, dir), { recursive: true });
      await scan();
      const a = admin();
      await a.send("/dupes");
      const summary = await a.waitForBotMessage((m) => m.text?.startsWith("🧹 1 duplicate pair:") ?? false);
      expect(summary.text).toContain("0 .ts/.mp4, 1 exact copy; 1 verified.");
      await a.press("🗑 Delete A of the 1 verified pair…");
      await a.waitForBotMessage((m) => m.text?.startsWith("Move file A of the 1 verified pair to the trash") ?? false);
      await a.press("✅ Delete 1");
      const done = await a.waitForBotMessage((m) => m.text?.startsWith("✅ 1 moved to the trash") ?? false);
      expect(done.text).toContain("/trash restores it.");
      expect(existsSync(algebra())).toBe(true);
    });
  });
});

describe("/dupes at Telegram's limits", () => {
  test("a pair with very long unicode names and folders: the photo caption fits 1024, before and after archiving A, without the last-resort trim", async () => {
    // Deep folders and long names (each segment within the filesystem's 255 bytes).
    const segment = "Лекции_по_физике_&_<оптика>_🎓_".repeat(3).slice(0, 60);
    const folder = join(lib.dir, ...Array.from({ length: 6 }, () => segment));
    const name = `${"電磁気学_講義_🎬_&_".repeat(6)}L99`;
    mkdirSync(folder, { recursive: true });
    makeClip(join(folder, `${name}.ts`), { seconds: 4 });
    remux(join(folder, `${name}.ts`), join(folder, `${name}.mp4`));
    await scan();
    const a = admin();
    await a.send("/dupes");
    await a.waitForBotMessage((m) => m.text?.startsWith("🧹 4 duplicate pairs: 3 .ts/.mp4") ?? false);
    await a.press("👀 Review one by one");
    let pair = await a.waitForBotMessage((m) => m.media?.kind === "photo");
    while (!(pair.caption?.includes("電磁気学") ?? false)) {
      await a.press("Next ›");
      const previous = pair.id;
      pair = await a.waitForBotMessage((m) => m.media?.kind === "photo" && m.id !== previous);
    }
    expect((pair.caption ?? "").length).toBeLessThanOrEqual(1024);
    expect(pair.caption).toContain("A (to clean up): 電磁気学");
    expect(pair.caption).toContain("…");
    await a.pressData(pair.keyboard?.flat().find((b) => b.text === "📦 Archive A")?.callbackData ?? "", pair.id);
    const archived = await a.waitForBotMessage((m) => m.id === pair.id && (m.caption?.includes("moved to the archive") ?? false));
    expect((archived.caption ?? "").length).toBeLessThanOrEqual(1024);
    expect(h.emu.requests.filter((r) => r.status >= 400)).toEqual([]);
    expect(h.logs.text).not.toContain("over Telegram's limit was shortened");
  });
});

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}
