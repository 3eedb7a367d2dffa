import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { FfmpegRunner } from "../../src/infra/ffmpeg/ffmpeg-runner.js";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { NodeExportFiles } from "../../src/infra/fs/export-files.js";
import { TypeormAuditStore } from "../../src/infra/stores/audit-store.js";
import { SqliteExportStore } from "../../src/infra/stores/export-store.js";
import { AuditService } from "../../src/services/audit.js";
import { ExportService, exportFolderName } from "../../src/services/export/export-service.js";
import { parseMasterPlaylist } from "../../src/services/export/hls-args.js";
import { Forbidden } from "../../src/services/permissions.js";
import { escapeHtml } from "../../src/services/telegram-html.js";
import { RecordingNotifier } from "../support/conversion-harness.js";
import { makeTestDatabase, manualClock } from "../support/database.js";
import { streamsOf } from "../support/frames.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";

const EDITOR = { kind: "user" as const, id: 2, role: "editor" as const };
const VIEWER = { kind: "user" as const, id: 3, role: "viewer" as const };

let db: { dataSource: DataSource; close: () => Promise<void> };
let tmp: { dir: string; cleanup: () => void };
let notifier: RecordingNotifier;
let exports: ExportService;
let exportDir: string;

async function indexed(ds: DataSource, path: string, extra: { category?: number; derivedFrom?: number } = {}): Promise<number> {
  const probe = await new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 }).probe(path);
  if (!probe.ok) throw new Error("probe failed");
  const m = probe.media;
  const name = path.split("/").at(-1) ?? path;
  const [row] = await ds.query<{ id: number }[]>(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, category_id, derived_from_id,
      duration_s, width, height, video_codec, audio_codec, pixel_format, container, created_at, updated_at)
    VALUES (?, ?, ?, ?, '.mp4', 1, 1, 'indexed', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1) RETURNING id`,
  [path, tmp.dir, name, name, extra.category ?? null, extra.derivedFrom ?? null, m.durationS, m.width, m.height, m.videoCodec, m.audioCodec, m.pixelFormat, m.container]);
  return row?.id ?? 0;
}

beforeEach(async () => {
  db = await makeTestDatabase();
  tmp = makeTempDir();
  exportDir = join(tmp.dir, "exports");
  notifier = new RecordingNotifier();
  const clock = manualClock();
  exports = new ExportService({
    store: new SqliteExportStore(db.dataSource), files: new NodeExportFiles(), tool: new FfmpegRunner({ ffmpegPath: "ffmpeg", niceness: 0 }),
    prober: new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 }), audit: new AuditService(new TypeormAuditStore(db.dataSource), clock), notifier, clock, exportDir,
  });
});
afterEach(async () => {
  await db.close();
  tmp.cleanup();
});

describe("HLS export with real ffmpeg", () => {
  test("a 720p lecture becomes 360p and 720p (no 1080p: never upscaled) with a master playlist that ffprobe reads", async () => {
    const clip = makeClip(join(tmp.dir, "JEE <&> L04 🎬.mp4"), { seconds: 8, size: "1280x720", rate: 25 });
    const id = await indexed(db.dataSource, clip);
    expect((await exports.request(EDITOR, [id], "video")).queued).toEqual([id]);
    expect((await exports.request(EDITOR, [id], "video")).skipped).toEqual([{ videoId: id, why: "an export of it is already queued or running" }]);
    expect(await exports.runNext()).toBe(true);
    const folder = join(exportDir, exportFolderName(id, "JEE <&> L04 🎬.mp4"));
    expect(folder.endsWith(`${id} - JEE _ L04 _`)).toBe(true);
    expect(readdirSync(exportDir)).toEqual([`${id} - JEE _ L04 _`]); // no partial folder left
    const variants = parseMasterPlaylist(readFileSync(join(folder, "master.m3u8"), "utf8"));
    expect(variants.map((v) => [v.uri, v.height])).toEqual([["360p/index.m3u8", 360], ["720p/index.m3u8", 720]]);
    expect(variants[0]!.width).toBe(640);
    expect(variants[0]!.bandwidth).toBeLessThan(variants[1]!.bandwidth);
    for (const [rung, height] of [["360p", 360], ["720p", 720]] as const) {
      const playlist = readFileSync(join(folder, rung, "index.m3u8"), "utf8");
      expect(playlist).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
      expect(playlist).toContain("#EXT-X-ENDLIST");
      const segments = playlist.split("\n").filter((l) => l.endsWith(".ts"));
      expect(segments.length).toBeGreaterThanOrEqual(2); // 8 s in 6 s segments
      const [v, a] = streamsOf(join(folder, rung, "index.m3u8"));
      expect(v).toMatchObject({ codec_name: "h264", profile: "High", pix_fmt: "yuv420p", height });
      expect(a).toMatchObject({ codec_name: "aac" });
    }
    const [job] = (await exports.overview()).recent;
    expect(job).toMatchObject({ state: "done", rungs: "360p, 720p", outputDir: folder, progress: 1 });
    expect(notifier.messages.at(-1)).toContain("HLS export ready");
    expect(notifier.messages.at(-1)).toContain(`<code>${escapeHtml(basename(folder))}/master.m3u8</code> in the export folder`);
    expect(notifier.messages.at(-1)).not.toContain(exportDir);
    expect(notifier.messages.at(-1)).toContain("JEE &lt;&amp;&gt; L04");
    const audit = await db.dataSource.query<{ action: string }[]>(`SELECT action FROM audit_event ORDER BY id`);
    expect(audit.map((r) => r.action)).toEqual(["export.request", "export.done"]);

    // Exporting again replaces the old export whole.
    writeFileSync(join(folder, "stale.txt"), "from the old export");
    await exports.request(EDITOR, [id], "video");
    await exports.runNext();
    expect(existsSync(join(folder, "stale.txt"))).toBe(false);
    expect(existsSync(join(folder, "master.m3u8"))).toBe(true);
  });

  test("a small silent clip gets one rung at its own height; a category exports its MP4s, not their recordings", async () => {
    await db.dataSource.query(`INSERT INTO category (id, name, key, audience, created_at) VALUES (7, 'Physics', 'physics', 'students', 1)`);
    const silent = await indexed(db.dataSource, makeClip(join(tmp.dir, "silent.mp4"), { seconds: 2, audio: "none", size: "320x240" }), { category: 7 });
    const recording = await indexed(db.dataSource, makeClip(join(tmp.dir, "rec.ts"), { seconds: 2 }), { category: 7 });
    await indexed(db.dataSource, makeClip(join(tmp.dir, "rec.mp4"), { seconds: 2 }), { category: 7, derivedFrom: recording });
    await expect(exports.requestCategory(VIEWER, 7)).rejects.toBeInstanceOf(Forbidden);
    const requested = await exports.requestCategory(EDITOR, 7);
    expect(requested.queued).toHaveLength(2);
    expect(requested.queued).not.toContain(recording);
    while (await exports.runNext());
    const silentFolder = join(exportDir, exportFolderName(silent, "silent.mp4"));
    const variants = parseMasterPlaylist(readFileSync(join(silentFolder, "master.m3u8"), "utf8"));
    expect(variants.map((v) => [v.uri, v.width, v.height])).toEqual([["240p/index.m3u8", 320, 240]]);
    expect(streamsOf(join(silentFolder, "240p", "index.m3u8")).map((s) => s.codec_type)).toEqual(["video"]);
    expect((await exports.overview()).counts).toMatchObject({ done: 2, failed: 0 });
  });

  test("a file that ffmpeg cannot read fails with a notice, leaves no folder, and is not retried in a loop", async () => {
    const clip = makeClip(join(tmp.dir, "broken.mp4"), { seconds: 2 });
    const id = await indexed(db.dataSource, clip);
    writeFileSync(clip, "no longer a video");
    await exports.request(EDITOR, [id], "video");
    expect(await exports.runNext()).toBe(true);
    expect(await exports.runNext()).toBe(false);
    expect((await exports.overview()).recent[0]).toMatchObject({ state: "failed" });
    expect(notifier.messages.at(-1)).toContain("HLS export failed");
    expect(existsSync(exportDir) ? readdirSync(exportDir) : []).toEqual([]);
  });
});
