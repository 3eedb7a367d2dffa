import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { FfmpegRunner } from "../../src/infra/ffmpeg/ffmpeg-runner.js";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { NodeExportFiles } from "../../src/infra/fs/export-files.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { SqliteExportStore } from "../../src/infra/database/stores/export-store.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { ExportService, exportFolderName } from "../../src/services/export/export-service.js";
import { EXPORT_CONCURRENCY, EXPORT_HLS, exportHlsJob } from "../../src/services/export/export-job.js";
import type { MediaTool } from "../../src/services/conversion/ports.js";
import type { JobRunner } from "../../src/workers/job-runner.js";
import { parseMasterPlaylist } from "../../src/services/export/hls-args.js";
import { Forbidden } from "../../src/services/people/permissions.js";
import { escapeHtml } from "../../src/infra/telegram/html.js";
import { RecordingNotifier } from "../support/conversion-harness.js";
import { makeTestDatabase, manualClock } from "../support/database.js";
import { streamsOf } from "../support/frames.js";
import { LibraryLocator, type VideoLocator } from "../../src/services/library/locator.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeJobEngine, until } from "../support/jobs-harness.js";

const EDITOR = { kind: "user" as const, id: 2, role: "editor" as const };
const VIEWER = { kind: "user" as const, id: 3, role: "viewer" as const };

let db: { dataSource: DataSource; close: () => Promise<void> };
let tmp: { dir: string; cleanup: () => void };
let notifier: RecordingNotifier;
let clock: ReturnType<typeof manualClock>;
let exports: ExportService;
let exportDir: string;
let engine: ReturnType<typeof exportProcess>;
let runners: JobRunner[];

const ffmpeg = new FfmpegRunner({ ffmpegPath: "ffmpeg", niceness: 0 });
/** ffmpeg reading its input at its own speed (-re), so a test can act while an export runs. */
const realtime: MediaTool = { run: (spec, options) => ffmpeg.run({ ...spec, inputs: spec.inputs.map((i) => ({ ...i, options: ["-re", ...i.options] })) }, options) };

/** One process of vidlib as far as exports go: its engine, and the export service on it. */
function exportProcess(owner: string, tool: MediaTool = ffmpeg, locator?: VideoLocator) {
  const made = makeJobEngine(db.dataSource, clock, owner);
  const service = new ExportService({
    store: new SqliteExportStore(db.dataSource), jobs: made.queue, files: new NodeExportFiles(), tool,
    prober: new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 }), audit: new AuditService(new TypeormAuditStore(db.dataSource), clock), notifier, clock, exportDir,
    ...(locator === undefined ? {} : { locator }),
  });
  made.runner.register(EXPORT_HLS, exportHlsJob(service), EXPORT_CONCURRENCY);
  runners.push(made.runner);
  return { ...made, service };
}

const exportJobs = () => db.dataSource.query<{ id: number; state: string; attempts: number; owner: string | null; reason: string | null }[]>(
  `SELECT id, state, attempts, owner, reason FROM job WHERE kind = 'export.hls' ORDER BY id`);
const exportRows = () => db.dataSource.query<{ id: number; state: string; progress: number | null; job_id: number | null }[]>(`SELECT id, state, progress, job_id FROM hls_export ORDER BY id`);

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

let started = false;
/** Runs the queued exports on this process's runner and waits until none is queued or running. */
async function runExports(): Promise<void> {
  if (!started) engine.runner.start();
  started = true;
  await until(async () => (await exportJobs()).every((j) => j.state !== "queued" && j.state !== "running"), "the exports to end");
}

beforeEach(async () => {
  db = await makeTestDatabase();
  tmp = makeTempDir();
  exportDir = join(tmp.dir, "exports");
  notifier = new RecordingNotifier();
  clock = manualClock();
  runners = [];
  started = false;
  engine = exportProcess("test");
  exports = engine.service;
});
afterEach(async () => {
  for (const runner of runners) await runner.stop();
  await db.close();
  tmp.cleanup();
});

describe("HLS export with real ffmpeg", () => {
  test("a worker reads the video where its path map mounts the folder, never at the primary's path; a video of a folder the primary no longer has fails with why", async () => {
    const mount = join(tmp.dir, "mnt", "lectures");
    makeClip(join(mount, "phy", "L1.mp4"), { seconds: 2, size: "320x240" });
    const id = await indexed(db.dataSource, join(mount, "phy", "L1.mp4"));
    // As the primary recorded it: its own path, which does not exist on this machine.
    await db.dataSource.query(`UPDATE video SET path = '/srv/nas/lectures/phy/L1.mp4', root = '/srv/nas/lectures', folder = 'lectures', relative_path = 'phy/L1.mp4' WHERE id = ?`, [id]);
    const locator = new LibraryLocator([], new Map([["lectures", mount]]));
    locator.usePrimaryFolders([{ name: "lectures", path: "/srv/nas/lectures" }]);
    engine = exportProcess("worker", ffmpeg, locator);
    await engine.service.request(EDITOR, [id], "video");
    await runExports();
    expect(await exportJobs()).toMatchObject([{ state: "done" }]);
    expect(existsSync(join(exportDir, exportFolderName(id, "L1.mp4"), "master.m3u8"))).toBe(true);

    await db.dataSource.query(`UPDATE video SET root = '/srv/gone', folder = 'gone' WHERE id = ?`, [id]);
    await engine.service.request(EDITOR, [id], "video");
    await runExports();
    expect((await exports.overview()).recent[0]).toMatchObject({ state: "failed", error: "its library folder (gone) is not one of the primary's library folders" });
  });

  test("a 720p lecture becomes 360p and 720p (no 1080p: never upscaled) with a master playlist that ffprobe reads", async () => {
    const clip = makeClip(join(tmp.dir, "JEE <&> L04 🎬.mp4"), { seconds: 8, size: "1280x720", rate: 25 });
    const id = await indexed(db.dataSource, clip);
    expect((await exports.request(EDITOR, [id], "video")).queued).toEqual([id]);
    expect((await exports.request(EDITOR, [id], "video")).skipped).toEqual([{ videoId: id, why: "an export of it is already queued or running" }]);
    expect(await exportJobs()).toHaveLength(1);
    await runExports();
    expect(await exportJobs()).toMatchObject([{ state: "done", attempts: 1 }]);
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
    await runExports();
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
    await runExports();
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
    await runExports();
    // It ran once and is not queued again.
    expect(await exportJobs()).toMatchObject([{ state: "failed", attempts: 1 }]);
    expect((await exports.overview()).recent[0]).toMatchObject({ state: "failed" });
    expect(notifier.messages.at(-1)).toContain("HLS export failed");
    expect(existsSync(exportDir) ? readdirSync(exportDir) : []).toEqual([]);
  });
});

describe("HLS export on the job engine", () => {
  test("an export whose process died is picked up after its lease by another process's runner, which clears the dead run's working folder and finishes it", async () => {
    const id = await indexed(db.dataSource, makeClip(join(tmp.dir, "L07.mp4"), { seconds: 2, size: "640x360" }));
    expect((await exports.request(EDITOR, [id], "video")).queued).toEqual([id]);
    const [row] = await exportRows();
    // Process A claims the job, starts the export and dies: no heartbeat, no finish, its half-written folder left behind.
    const dead = await engine.store.claim(EXPORT_HLS.name, "A", clock.now(), EXPORT_HLS.leaseMs);
    expect(dead).toMatchObject({ owner: "A", attempts: 1 });
    await db.dataSource.query(`UPDATE hls_export SET state = 'running', progress = 0.4 WHERE id = ?`, [row!.id]);
    const partial = join(exportDir, `.partial-${row!.id}-1`);
    mkdirSync(join(partial, "360p"), { recursive: true });
    writeFileSync(join(partial, "360p", "segment_0000.ts"), "half");

    const b = exportProcess("B");
    b.runner.start();
    // Within the lease nobody takes it over.
    expect(await b.store.claim(EXPORT_HLS.name, "C", clock.now() + EXPORT_HLS.leaseMs - 1, EXPORT_HLS.leaseMs)).toBeNull();
    expect((await exports.overview()).counts).toMatchObject({ running: 1, done: 0 });
    clock.advance(EXPORT_HLS.leaseMs + 1);
    await until(async () => (await exportJobs())[0]?.state === "done", "B to finish the export");

    expect(await exportJobs()).toMatchObject([{ id: dead!.id, state: "done", owner: "B", attempts: 2 }]);
    expect(await exportRows()).toMatchObject([{ id: row!.id, state: "done", progress: 1, job_id: dead!.id }]);
    expect(readdirSync(exportDir)).toEqual([exportFolderName(id, "L07.mp4")]);
    expect(parseMasterPlaylist(readFileSync(join(exportDir, exportFolderName(id, "L07.mp4"), "master.m3u8"), "utf8")).map((v) => v.height)).toEqual([360]);
    expect(notifier.messages.at(-1)).toContain("HLS export ready");
  });

  test("a cancel kills the running ffmpeg and removes the hidden working folder; /exports shows it cancelled and the video can be exported again", async () => {
    const slow = exportProcess("slow", realtime);
    const id = await indexed(db.dataSource, makeClip(join(tmp.dir, "long.mp4"), { seconds: 30, size: "320x240" }));
    expect((await slow.service.request(EDITOR, [id], "video")).queued).toEqual([id]);
    slow.runner.start();
    await until(async () => ((await exportRows())[0]?.progress ?? 0) > 0, "ffmpeg to report progress");
    const [row] = await exportRows();
    const partial = join(exportDir, `.partial-${row!.id}-1`);
    expect(existsSync(partial)).toBe(true);
    expect(await slow.queue.cancel(row!.job_id!)).toBe("requested");
    await until(async () => (await exportJobs())[0]?.state === "cancelled", "the job to be cancelled");
    expect(await exportRows()).toMatchObject([{ state: "cancelled" }]);
    expect(readdirSync(exportDir)).toEqual([]);
    expect((await slow.service.overview()).counts).toMatchObject({ cancelled: 1, running: 0, queued: 0 });
    expect(notifier.messages.some((m) => m.includes("HLS export"))).toBe(false);
    expect((await slow.service.request(EDITOR, [id], "video")).queued).toEqual([id]);
  });

  test("a stopping process kills ffmpeg, removes the working folder and hands the export back; the next start runs it from the beginning", async () => {
    const slow = exportProcess("first", realtime);
    const id = await indexed(db.dataSource, makeClip(join(tmp.dir, "talk.mp4"), { seconds: 30, size: "320x240" }));
    await slow.service.request(EDITOR, [id], "video");
    slow.runner.start();
    await until(async () => ((await exportRows())[0]?.progress ?? 0) > 0, "ffmpeg to report progress");
    await slow.runner.stop();
    expect(await exportJobs()).toMatchObject([{ state: "queued", attempts: 0 }]);
    expect(await exportRows()).toMatchObject([{ state: "queued", progress: null }]);
    expect(existsSync(exportDir) ? readdirSync(exportDir) : []).toEqual([]);
    // The next process (here with ffmpeg at full speed) runs it without anyone asking again.
    await runExports();
    expect(await exportJobs()).toMatchObject([{ state: "done", attempts: 1, owner: "test" }]);
    expect(readdirSync(exportDir)).toEqual([exportFolderName(id, "talk.mp4")]);
  });

  test("an export cancelled before it started, or whose job failed when its process died on the last attempt, no longer shows as active and can be requested again", async () => {
    const first = await indexed(db.dataSource, makeClip(join(tmp.dir, "a.mp4"), { seconds: 1 }));
    const second = await indexed(db.dataSource, makeClip(join(tmp.dir, "b.mp4"), { seconds: 1 }));
    await exports.request(EDITOR, [first, second], "video");
    const [a, b] = await exportRows();
    expect(await engine.queue.cancel(a!.job_id!)).toBe("cancelled");
    await db.dataSource.query(`UPDATE job SET state = 'failed', reason = 'its worker stopped answering on the last attempt' WHERE id = ?`, [b!.job_id]);
    const { counts, recent } = await exports.overview();
    expect(counts).toMatchObject({ queued: 0, running: 0, cancelled: 1, failed: 1 });
    expect(recent.find((r) => r.id === b!.id)).toMatchObject({ state: "failed", error: "its worker stopped answering on the last attempt" });
    expect((await exports.request(EDITOR, [first, second], "video")).queued).toEqual([first, second]);
  });

  test("an export left without a job (a stop between the request's two writes) gets one and runs, rather than blocking its video", async () => {
    const video = await indexed(db.dataSource, makeClip(join(tmp.dir, "c.mp4"), { seconds: 1 }));
    await db.dataSource.query(`INSERT INTO hls_export (video_id, state, origin, actor_kind, actor_id, created_at, updated_at) VALUES (?, 'queued', 'video', 'user', '2', 1, 1)`, [video]);
    const { counts } = await exports.overview();
    expect(counts.queued).toBe(1);
    const [row] = await exportRows();
    expect(row!.job_id).not.toBeNull();
    expect((await exports.request(EDITOR, [video], "video")).skipped).toEqual([{ videoId: video, why: "an export of it is already queued or running" }]);
  });
});
