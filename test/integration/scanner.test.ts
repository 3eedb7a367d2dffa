import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { appendFileSync, copyFileSync, linkSync, mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { Video } from "../../src/entities/video.js";
import { Tag } from "../../src/entities/tag.js";
import { AuditEvent } from "../../src/entities/audit-event.js";
import { makeTestDatabase } from "../support/database.js";
import { makeClip } from "../support/media.js";
import { makeScanner } from "../support/scanner-harness.js";
import { LibraryPaths } from "../../src/services/library/library-paths.js";
import { summaryText } from "../../src/services/library/scan-summary.js";
import { makeTempDir } from "../support/temp-dir.js";
import { SqliteDupeStore } from "../../src/infra/database/stores/dupe-store.js";

// Clips are generated once and copied: copies of one clip have one fingerprint, so tests that need
// distinct files use distinct clips.
let clips: ReturnType<typeof makeTempDir>;
const clip = (n: number) => join(clips.dir, `clip${n}.mp4`);
beforeAll(() => {
  clips = makeTempDir("vidlib-clips-");
  for (let n = 1; n <= 6; n++) makeClip(clip(n), { seconds: 1 + n / 10, tag: `clip ${n}` });
  makeClip(join(clips.dir, "mpeg2.ts"), { video: "mpeg2", audio: "mp3", tag: "mpeg2" });
});
afterAll(() => clips.cleanup());

describe("library scanner on real files", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Awaited<ReturnType<typeof makeTestDatabase>>;
  let ds: DataSource;
  let root: string;
  const videos = () => ds.getRepository(Video).find({ order: { id: "ASC" } });
  const place = (n: number, rel: string, base = root) => { mkdirSync(join(base, rel, ".."), { recursive: true }); copyFileSync(clip(n), join(base, rel)); return join(base, rel); };

  beforeEach(async () => {
    tmp = makeTempDir();
    root = join(tmp.dir, "lectures");
    mkdirSync(root);
    db = await makeTestDatabase();
    ds = db.dataSource;
  });
  afterEach(async () => { await db.close(); tmp.cleanup(); });

  test("indexes new files with their metadata, including odd names", async () => {
    const names = ["JEE-Adv_Phy-ElectroStatics_L04.mp4", "Physik Übung 🎬 \"quoted\" <&>.mp4", "line\nbreak.mp4", `${"very long name ".repeat(12).trim()}.mp4`, "*bold* _italic_ [link](x).mp4"];
    names.forEach((name, i) => place(i + 1, join("deep", "er", name)));
    copyFileSync(join(clips.dir, "mpeg2.ts"), join(root, "raw recording.TS"));
    const { scan } = makeScanner(ds, [root]);
    const report = await scan();
    expect(report).toMatchObject({ found: 6, new: 6, changed: 0, moved: 0, missing: 0, unreadable: 0, phase: "done" });
    const rows = await videos();
    expect(rows.map((v) => v.fileName).sort()).toEqual([...names, "raw recording.TS"].sort());
    const jee = rows.find((v) => v.fileName.startsWith("JEE"))!;
    expect(jee).toMatchObject({ root, relativePath: join("deep", "er", names[0]!), extension: ".mp4", status: "indexed", width: 160, height: 90,
      videoCodec: "h264", audioCodec: "aac", pixelFormat: "yuv420p", frameRate: 15 });
    expect(jee.durationS).toBeCloseTo(1.1, 1);
    expect(jee.fingerprint).toMatch(/^\d+:[0-9a-f]{40}:\d+$/);
    expect(rows.find((v) => v.extension === ".ts")).toMatchObject({ videoCodec: "mpeg2video", audioCodec: "mp3", container: "mpegts" });
  });

  test("a rescan with nothing changed probes nothing", async () => {
    place(1, "a.mp4"); place(2, "b.mp4");
    const { scan, prober } = makeScanner(ds, [root]);
    await scan();
    expect(prober.probed).toHaveLength(2);
    const again = await scan();
    expect(prober.probed).toHaveLength(2);
    expect(again).toMatchObject({ found: 2, new: 0, changed: 0, missing: 0 });
  });

  test("a changed file is probed again and keeps its identity", async () => {
    const path = place(1, "a.mp4");
    const { scan, prober } = makeScanner(ds, [root]);
    await scan();
    const [before] = await videos();
    copyFileSync(clip(5), path);
    utimesSync(path, new Date(), new Date(Date.now() - 5000));
    expect(await scan()).toMatchObject({ changed: 1, new: 0 });
    const [after] = await videos();
    expect(after!.id).toBe(before!.id);
    expect(after!.durationS).toBeCloseTo(1.5, 1);
    expect(prober.probed).toHaveLength(2);
  });

  test("moved and renamed files keep their row, tags and history, within and across roots", async () => {
    const other = join(tmp.dir, "archive");
    mkdirSync(other);
    place(1, "L01.mp4"); place(2, "L02.mp4"); place(3, "L03.mp4"); place(4, "L04.mp4"); place(5, "L05.mp4"); place(6, "L06.mp4");
    const { scan } = makeScanner(ds, [root, other], { maxMissingShare: 0.5 });
    await scan();
    const tag = await ds.getRepository(Tag).save({ name: "revision", key: "revision", createdAt: 1 });
    const l1 = (await videos()).find((v) => v.fileName === "L01.mp4")!;
    await ds.createQueryBuilder().relation(Video, "tags").of(l1.id).add(tag.id);
    mkdirSync(join(root, "physics"));
    renameSync(join(root, "L01.mp4"), join(root, "physics", "Lecture 1.mp4"));
    renameSync(join(root, "L02.mp4"), join(other, "L02.mp4"));
    const report = await scan();
    expect(report).toMatchObject({ moved: 2, new: 0, missing: 0 });
    const moved = await ds.getRepository(Video).findOneOrFail({ where: { id: l1.id }, relations: { tags: true } });
    expect(moved).toMatchObject({ path: join(root, "physics", "Lecture 1.mp4"), fileName: "Lecture 1.mp4", status: "indexed" });
    expect(moved.tags.map((t) => t.name)).toEqual(["revision"]);
    expect((await videos()).find((v) => v.fileName === "L02.mp4")).toMatchObject({ root: other });
    const moves = await ds.getRepository(AuditEvent).findBy({ action: "video.move" });
    expect(moves.map((m) => (JSON.parse(m.after!) as { path: string }).path).sort()).toEqual([join(other, "L02.mp4"), join(root, "physics", "Lecture 1.mp4")].sort());
  });

  test("deleted files are marked missing, keep their tags, and are restored when they come back", async () => {
    for (let n = 1; n <= 6; n++) place(n, `L0${n}.mp4`);
    const { scan } = makeScanner(ds, [root]);
    await scan();
    const aside = join(tmp.dir, "aside.mp4");
    renameSync(join(root, "L03.mp4"), aside);
    expect(await scan()).toMatchObject({ missing: 1 });
    const missing = (await videos()).find((v) => v.fileName === "L03.mp4")!;
    expect(missing.status).toBe("missing");
    renameSync(aside, join(root, "L03.mp4"));
    expect(await scan()).toMatchObject({ restored: 1, missing: 0, new: 0 });
    expect((await ds.getRepository(Video).findOneByOrFail({ id: missing.id })).status).toBe("indexed");
    expect(await ds.getRepository(Video).count()).toBe(6);
  });

  describe("the unmount guard", () => {
    const fill = async () => {
      for (let n = 1; n <= 6; n++) place(n, `L0${n}.mp4`);
      const harness = makeScanner(ds, [root]);
      await harness.scan();
      return harness;
    };
    const statuses = async () => (await videos()).map((v) => v.status);

    test("a root that is gone marks nothing missing and says why", async () => {
      const { scan } = await fill();
      renameSync(root, join(tmp.dir, "unmounted"));
      const report = await scan();
      expect(report.missing).toBe(0);
      expect(report.roots[0]).toMatchObject({ state: "missing", guard: { wouldMarkMissing: 6 } });
      expect(report.roots[0]!.guard!.reason).toMatch(/mounted/);
      expect(await statuses()).toEqual(Array(6).fill("indexed"));
      expect(await ds.getRepository(AuditEvent).countBy({ action: "library.scan.guarded" })).toBe(1);
    });

    test("an empty root marks nothing missing", async () => {
      const { scan } = await fill();
      for (let n = 1; n <= 6; n++) rmSync(join(root, `L0${n}.mp4`));
      expect((await scan()).roots[0]!.guard!.reason).toMatch(/empty/);
      expect(await statuses()).toEqual(Array(6).fill("indexed"));
    });

    test("more than the allowed share going missing at once marks nothing; up to it is fine", async () => {
      const { scan } = await fill();
      rmSync(join(root, "L01.mp4")); rmSync(join(root, "L02.mp4"));
      const blocked = await scan();
      expect(blocked.roots[0]!.guard!.reason).toBe("2 of 6 files (33 %) would be marked missing, over the 20 % limit");
      expect(await statuses()).toEqual(Array(6).fill("indexed"));
      place(2, "L02.mp4");
      expect((await scan()).missing).toBe(1);
    });
  });

  test("corrupt, empty and not-a-video files are unreadable with a reason, and retried only when changed; audio-only recordings are indexed as audio", async () => {
    writeFileSync(join(root, "corrupt.mp4"), Buffer.alloc(4096, 7));
    writeFileSync(join(root, "empty.ts"), "");
    makeClip(join(root, "audio only.mp4"), { video: "none", tag: "audio" });
    makeClip(join(root, "audio only.ts"), { video: "none", audio: "mp3", seconds: 2, tag: "audio ts" });
    const { scan, prober } = makeScanner(ds, [root]);
    expect(await scan()).toMatchObject({ unreadable: 2, new: 4 });
    const rows = await videos();
    const reasons = Object.fromEntries(rows.map((v) => [v.fileName, [v.status, v.statusReason]]));
    expect(reasons["empty.ts"]).toEqual(["unreadable", "the file is empty (0 bytes)"]);
    expect(rows.find((v) => v.fileName === "audio only.mp4")).toMatchObject({ status: "indexed", statusReason: null, mediaKind: "audio", videoCodec: null, audioCodec: "aac", width: null });
    const ts = rows.find((v) => v.fileName === "audio only.ts");
    expect(ts).toMatchObject({ status: "indexed", mediaKind: "audio", audioCodec: "mp3", container: "mpegts" });
    expect(ts?.durationS).toBeCloseTo(2, 0);
    expect(rows.find((v) => v.fileName === "corrupt.mp4")?.mediaKind).toBe("video");
    expect(reasons["corrupt.mp4"]![0]).toBe("unreadable");
    expect(reasons["corrupt.mp4"]![1]).toMatch(/Invalid data|moov atom/);
    const probes = prober.probed.length;
    await scan();
    expect(prober.probed.length).toBe(probes);
    copyFileSync(clip(1), join(root, "corrupt.mp4"));
    utimesSync(join(root, "corrupt.mp4"), new Date(), new Date(Date.now() - 5000));
    expect(await scan()).toMatchObject({ changed: 1, unreadable: 0 });
    expect((await videos()).find((v) => v.fileName === "corrupt.mp4")!.status).toBe("indexed");
  });

  test("a file still being written is left alone until it settles", async () => {
    const path = place(1, "copying.mp4");
    appendFileSync(path, Buffer.alloc(10));
    const { scan, prober } = makeScanner(ds, [root], { settleMs: 60_000 });
    expect(await scan()).toMatchObject({ found: 1, new: 0, settling: 1 });
    expect(prober.probed).toEqual([]);
    const old = new Date(Date.now() - 120_000);
    utimesSync(path, old, old);
    expect(await scan()).toMatchObject({ new: 1, settling: 0 });
  });

  test("hidden, system and temporary files are ignored; links are reported and not followed; broken links are reported", async () => {
    place(1, "real.mp4");
    place(2, ".hidden.mp4"); place(3, join(".trash", "old.mp4")); place(4, "download.mp4.part"); place(5, join("$RECYCLE.BIN", "x.mp4"));
    writeFileSync(join(root, "notes.txt"), "not a video");
    const elsewhere = join(tmp.dir, "elsewhere");
    place(6, "linked.mp4", elsewhere);
    symlinkSync(elsewhere, join(root, "link-to-elsewhere"));
    symlinkSync(root, join(root, "loop"));
    symlinkSync(join(tmp.dir, "nothing-here"), join(root, "broken.mp4"));
    const report = await makeScanner(ds, [root]).scan();
    // A link leading outside the library folders is not scanned (the folder would belong to no library root).
    expect((await videos()).map((v) => v.relativePath).sort()).toEqual(["real.mp4"]);
    expect(report.problems.map((p) => p.reason).sort()).toEqual(["broken link: its target does not exist"]);
    expect([...report.links].sort((a, b) => a.link.localeCompare(b.link))).toEqual([{ link: "link-to-elsewhere", target: null }, { link: "loop", target: "lectures" }]);
    expect(report.linkCount).toBe(2);
  });

  describe("a file reachable by several paths is one video at its real path", () => {
    // readdir's order cannot be chosen, so each case is laid out twice: the link's name sorting before and after the real one.
    for (const [real, link] of [["Lectures", "Shortcuts"], ["Lectures", "A shortcut"]] as const) {
      test(`a link to a file (${link}/ beside ${real}/) is reported as a link, never indexed`, async () => {
        mkdirSync(join(root, real)); mkdirSync(join(root, link));
        copyFileSync(join(clips.dir, "mpeg2.ts"), join(root, real, "L10.ts"));
        symlinkSync(join("..", real, "L10.ts"), join(root, link, "Latest.ts"));
        const { scan } = makeScanner(ds, [root]);
        const report = await scan();
        expect(report).toMatchObject({ found: 1, new: 1, problemCount: 0, linkCount: 1 });
        expect(report.links).toEqual([{ link: join(link, "Latest.ts"), target: join(real, "L10.ts") }]);
        expect((await videos()).map((v) => [v.path, v.relativePath])).toEqual([[join(root, real, "L10.ts"), join(real, "L10.ts")]]);
        expect(await scan()).toMatchObject({ found: 1, new: 0, missing: 0 });
      });

      test(`a link to a folder (${link} → ${real}) lists its videos once, under the real folder`, async () => {
        place(1, join(real, "L1.mp4")); place(2, join(real, "Week 2", "L2.mp4"));
        symlinkSync(real, join(root, link));
        const report = await makeScanner(ds, [root]).scan();
        expect(report).toMatchObject({ found: 2, new: 2, problemCount: 0, linkCount: 1 });
        expect(report.links).toEqual([{ link, target: real }]);
        expect((await videos()).map((v) => v.relativePath).sort()).toEqual([join(real, "L1.mp4"), join(real, "Week 2", "L2.mp4")]);
      });
    }

    test("a link into another library root is indexed once, by that root; a symlinked root keeps its own spelling", async () => {
      const realOther = join(tmp.dir, "other-real");
      place(1, "x.mp4", realOther);
      const other = join(tmp.dir, "other");
      symlinkSync(realOther, other);
      symlinkSync(join(other, "x.mp4"), join(root, "x-link.mp4"));
      symlinkSync(join(realOther, "x.mp4"), join(root, "x-real-link.mp4"));
      const report = await makeScanner(ds, [root, other]).scan();
      expect(report).toMatchObject({ found: 1, new: 1, linkCount: 2 });
      expect(report.links.map((l) => l.target)).toEqual(["x.mp4", "x.mp4"]);
      expect((await videos()).map((v) => [v.root, v.path])).toEqual([[other, join(other, "x.mp4")]]);
    });

    test("hard links are real paths of one file: both are listed, with one fingerprint", async () => {
      place(1, join("Maths", "Algebra.mp4"));
      mkdirSync(join(root, "Best of"));
      linkSync(join(root, "Maths", "Algebra.mp4"), join(root, "Best of", "Algebra.mp4"));
      expect(await makeScanner(ds, [root]).scan()).toMatchObject({ found: 2, new: 2, linkCount: 0 });
      const rows = await videos();
      expect(rows).toHaveLength(2);
      expect(rows[0]!.fingerprint).toBe(rows[1]!.fingerprint);
    });

    test("the scan summary lists links relative to their library folder, with correct plurals", async () => {
      place(1, join("Lectures", "L1.mp4"));
      symlinkSync("Lectures", join(root, "Shortcuts"));
      const text = summaryText(await makeScanner(ds, [root]).scan(), (t) => t, new LibraryPaths([root]));
      expect(text).toContain("1 link (not indexed again: what a link leads to is indexed once, at its real path):\n• Shortcuts → Lectures");
      expect(text).not.toContain(root);
    });
  });

  test("a root inside another root lists each file once", async () => {
    place(1, join("sub", "a.mp4"));
    const report = await makeScanner(ds, [root, join(root, "sub")]).scan();
    expect(report).toMatchObject({ found: 1, new: 1 });
  });

  test("two scanners at once (the CLI beside the bot) record a file both find once, and neither fails", async () => {
    for (let n = 1; n <= 3; n++) place(n, `L${n}.mp4`);
    const [ra, rb] = await Promise.all([makeScanner(ds, [root]).scan(), makeScanner(ds, [root]).scan()]);
    expect(ra.new + rb.new).toBeGreaterThanOrEqual(3);
    expect(await ds.getRepository(Video).count()).toBe(3);
  });

  test("a rescan with nothing changed reads no rows, and any change to a video row makes it read them again", async () => {
    for (let n = 1; n <= 3; n++) place(n, `L${n}.mp4`);
    const { scan, index } = makeScanner(ds, [root]);
    await scan();
    await scan();
    const readsAfterTwo = index.snapshots;
    await scan();
    expect(index.snapshots).toBe(readsAfterTwo);
    // Another part of vidlib (say, a dedupe clean-up) changes a row behind the scanner's back.
    const l2 = await ds.getRepository(Video).findOneByOrFail({ fileName: "L2.mp4" });
    await new SqliteDupeStore(ds).recordMove({ videoId: l2.id, kind: "trash", fromPath: l2.path, toPath: join(tmp.dir, "trash", "L2.mp4"),
      stamp: { size: l2.sizeBytes, mtimeMs: l2.mtimeMs }, movedAt: Date.now(), expiresAt: null }, null, "test", "moved to the trash");
    expect(await scan()).toMatchObject({ restored: 1 });
    expect(index.snapshots).toBe(readsAfterTwo + 1);
    expect((await ds.getRepository(Video).findOneByOrFail({ fileName: "L2.mp4" })).status).toBe("indexed");
  });
});
