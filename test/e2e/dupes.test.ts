import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_ID, startLibraryHarness, type LibraryHarness } from "../support/app-harness.js";
import { streamsOf } from "../support/frames.js";
import { makeClip } from "../support/media.js";
import { userActor } from "../../src/services/actor.js";

let h: LibraryHarness;
let lib: { dir: string };
const admin = () => h.emu.user({ id: ADMIN_ID, firstName: "Asha" });

const scan = (): Promise<void> => h.scan();
const idOf = async (relativePath: string): Promise<number> =>
  ((await h.app.dataSource.query<{ id: number }[]>(`SELECT id FROM video WHERE relative_path = ?`, [relativePath]))[0]?.id ?? 0);
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
    const summary = await a.waitForBotMessage((m) => m.text?.startsWith("🧹 3 duplicate pairs") ?? false, { timeoutMs: 15_000 });
    expect(summary.text).toContain("2 .ts/.mp4, 1 exact copies; 3 verified");

    await a.press("👀 Review one by one");
    const first = await a.waitForBotMessage((m) => m.media?.kind === "photo", { timeoutMs: 10_000 });
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
    const again = await a.waitForBotMessage((m) => /^🧹 \d+ duplicate pairs/.test(m.text ?? "") || (m.text?.startsWith("✨") ?? false), { timeoutMs: 15_000 });
    expect(again.text).not.toContain("L2");
    expect(a.transcript()).not.toContain("Big copy.mkv");
    const events = (await h.app.dataSource.query<{ action: string }[]>(`SELECT action FROM audit_event WHERE action LIKE 'dupes.%' ORDER BY id`)).map((e) => e.action);
    expect(events).toEqual(["dupes.trash", "dupes.restore", "dupes.keep_both"]);
  });

  test("apply to all verified pairs asks with the count, moves them to the trash, /trash restores, and the trash empties after its days", async () => {
    await scan();
    const a = admin();
    await a.send("/dupes");
    await a.waitForBotMessage((m) => m.text?.startsWith("🧹 3 duplicate pairs") ?? false, { timeoutMs: 15_000 });
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
    // Two files remain in the trash; once their days are up they are removed for good.
    await h.app.dataSource.query(`UPDATE file_move SET expires_at = 1 WHERE undone_at IS NULL`);
    expect(await h.app.services.dupes.purgeExpired()).toBe(2);
    expect(readdirSync(join(h.dataDir, "trash"))).toEqual([]);
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
});
