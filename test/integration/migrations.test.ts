import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { createDataSource, openDatabase } from "../../src/infra/database/database.js";
import { MIGRATIONS } from "../../migrations/index.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeClip } from "../support/media.js";
import { makeScanner } from "../support/scanner-harness.js";
import { EXPORT_HLS } from "../../src/services/export/export-job.js";
import { VideoFollowUps } from "../../src/services/follow-up/video-follow-ups.js";
import { JobQueue } from "../../src/services/jobs/job-queue.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { TypeormFollowUpStore } from "../../src/infra/database/stores/follow-up-store.js";
import { TypeormJobStore } from "../../src/infra/database/stores/job-store.js";
import { captionFor } from "../../src/services/publish/caption.js";

async function tableNames(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query(
    `SELECT name FROM sqlite_master WHERE type IN ('table','trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  return rows.map((r) => r.name);
}

describe("migrations", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ds: DataSource | undefined;
  beforeEach(() => { tmp = makeTempDir(); });
  afterEach(async () => { if (ds?.isInitialized) await ds.destroy(); tmp.cleanup(); });

  test("run up, down and up again on an empty database file", async () => {
    const path = join(tmp.dir, "db", "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    const afterFirstUp = await tableNames(ds);
    expect(afterFirstUp).toEqual(expect.arrayContaining(
      ["audit_event", "category", "channel", "conversation_state", "migrations", "setting", "tag", "user", "video", "video_tag",
        "audit_event_no_update", "audit_event_no_delete"]));

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: "each" });
    expect(await tableNames(ds)).toEqual(["migrations"]);

    const reapplied = await ds.runMigrations({ transaction: "each" });
    expect(reapplied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tableNames(ds)).toEqual(afterFirstUp);
  });

  test("upgrading a database from before audio-only recordings: videos stay videos, audio files marked unreadable are probed again", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "AudioOnly1763600000010");
    expect((await ds.query<{ name: string }[]>(`PRAGMA table_info(video)`)).map((c) => c.name)).not.toContain("media_kind");
    const insert = `INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, status_reason, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 100, 1234, ?, ?, 1, 1)`;
    await ds.query(insert, ["/lib/L1.mp4", "/lib", "L1.mp4", "L1.mp4", ".mp4", "indexed", null]);
    await ds.query(insert, ["/lib/talk.ts", "/lib", "talk.ts", "talk.ts", ".ts", "unreadable", "no video stream (audio only)"]);
    await ds.query(insert, ["/lib/bad.ts", "/lib", "bad.ts", "bad.ts", ".ts", "unreadable", "Invalid data found when processing input"]);
    await ds.destroy();

    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    expect(reopened.applied).toEqual(MIGRATIONS.map((m) => m.name).slice(MIGRATIONS.findIndex((m) => m.name === "AudioOnly1763600000010")));
    const rows = await ds.query<{ file_name: string; media_kind: string; mtime_ms: number; status: string }[]>(`SELECT file_name, media_kind, mtime_ms, status FROM video ORDER BY id`);
    // A changed time makes the next scan probe the file again, which then indexes it as audio.
    expect(rows).toEqual([
      { file_name: "L1.mp4", media_kind: "video", mtime_ms: 1234, status: "indexed" },
      { file_name: "talk.ts", media_kind: "video", mtime_ms: -1, status: "unreadable" },
      { file_name: "bad.ts", media_kind: "video", mtime_ms: 1234, status: "unreadable" },
    ]);
  });

  test("after the upgrade, the next scan indexes a formerly unreadable audio-only recording as audio", async () => {
    const root = join(tmp.dir, "lib");
    const talk = makeClip(join(root, "talk.ts"), { video: "none", audio: "mp3", seconds: 2 });
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    const { scan } = makeScanner(ds, [root]);
    await scan();
    // As the version before this one left it.
    await ds.query(`UPDATE video SET status = 'unreadable', status_reason = 'no video stream (audio only)', duration_s = NULL, audio_codec = NULL WHERE path = ?`, [talk]);
    await undoThrough(ds, "AudioOnly1763600000010");
    await ds.runMigrations({ transaction: "each" });
    expect(await makeScanner(ds, [root]).scan()).toMatchObject({ changed: 1, unreadable: 0 });
    expect((await ds.query(`SELECT status, media_kind, audio_codec FROM video WHERE path = ?`, [talk]))[0]).toEqual({ status: "indexed", media_kind: "audio", audio_codec: "mp3" });
  });

  test("upgrading a database with syncs planning or copying under the old claim: each becomes a queued sync job keyed per folder, finished runs stay history", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "SyncJobs1763600000023");
    const folder = `INSERT INTO sync_folder (source_path, target_path, actor_id, created_at) VALUES (?, ?, '1', 1) RETURNING id`;
    const folders: number[] = [];
    for (const name of ["A", "B", "C"]) folders.push((await ds.query<{ id: number }[]>(folder, [`/share/${name}`, `/lib/${name}`]))[0]!.id);
    const run = `INSERT INTO sync_run (folder_id, state, actor_kind, actor_id, chat_id, message_id, owner, heartbeat_at, created_at) VALUES (?, ?, 'user', '1', ?, ?, ?, 5, 5)`;
    await ds.query(run, [folders[0], "copying", null, null, "host:4242:dead"]);
    await ds.query(run, [folders[1], "planning", 1001, 7, "host:4243:dead"]);
    await ds.query(run, [folders[2], "done", null, null, null]);
    await ds.destroy();

    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    expect(reopened.applied).toContain("SyncJobs1763600000023");
    const jobs = await ds.query<{ kind: string; payload: string; state: string; key: string; group_key: string; attempts: number }[]>(
      `SELECT kind, payload, state, key, group_key, attempts FROM job WHERE kind = 'sync.run' ORDER BY id`);
    expect(jobs).toEqual([
      { kind: "sync.run", payload: JSON.stringify({ runId: 1, folderId: folders[0], mode: "none" }), state: "queued", key: `folder:${folders[0]}`, group_key: `folder:${folders[0]}`, attempts: 0 },
      { kind: "sync.run", payload: JSON.stringify({ runId: 2, folderId: folders[1], mode: "preview" }), state: "queued", key: `folder:${folders[1]}`, group_key: `folder:${folders[1]}`, attempts: 0 },
    ]);
    expect(await ds.query(`SELECT id, state, owner FROM sync_run ORDER BY id`)).toEqual([
      { id: 1, state: "copying", owner: null }, { id: 2, state: "planning", owner: null }, { id: 3, state: "done", owner: null },
    ]);
  });

  test("upgrading a database from before uploads ran on the job engine: sendable items get send jobs in queue order, uncertain ones wait parked with their look, pending auto-publish is carried", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "UploadJobs1763600000024");
    expect((await ds.query<{ name: string }[]>(`PRAGMA table_info(upload_job)`)).map((c) => c.name)).toEqual(expect.arrayContaining(["attempts", "not_before"]));
    await ds.query(`INSERT INTO channel (id, chat_id, title, username, audience, created_at) VALUES (7, -1001, 'Physics', NULL, 'students', 1)`);
    await ds.query(`INSERT INTO category (id, name, key, audience, created_at) VALUES (3, 'Physics', 'physics', 'students', 1)`);
    await ds.query(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (3, 7, 'test', 1)`);
    const video = `INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, category_id, created_at, updated_at)
      VALUES (?, '/lib', ?, ?, '.mp4', 100, 1, 'indexed', ?, 1, 1) RETURNING id`;
    const ids: number[] = [];
    for (const name of ["queued.mp4", "retry.mp4", "uploading.mp4", "uncertain.mp4", "review.mp4", "converting.mp4", "sent.mp4", "nocat.mp4"]) {
      ids.push((await ds.query<{ id: number }[]>(video, [`/lib/${name}`, name, name, name === "nocat.mp4" ? null : 3]))[0]!.id);
    }
    const item = `INSERT INTO upload_job (video_id, state, seq, origin, actor_kind, actor_id, attempts, not_before, settle_at, created_at, updated_at)
      VALUES (?, ?, ?, 'card', 'user', '1001', ?, ?, ?, 1, 1)`;
    await ds.query(item, [ids[0], "queued", 5, 0, 0, null]);
    await ds.query(item, [ids[1], "queued", 2, 2, 1_900_000_000_000, null]);
    await ds.query(item, [ids[2], "uploading", 1, 1, 0, null]);
    await ds.query(item, [ids[3], "uncertain", 3, 1, 0, 1_900_000_000_500]);
    await ds.query(item, [ids[4], "review", 4, 1, 0, null]);
    await ds.query(item, [ids[5], "converting", 6, 0, 0, null]);
    await ds.query(item, [ids[6], "sent", 0, 1, 0, null]);
    // Auto-publish on, and a category set since the last drain (the old trigger filled this table).
    await ds.query(`UPDATE video SET category_id = 3, updated_at = 9 WHERE id = ?`, [ids[7]]);
    expect(await ds.query(`SELECT video_id FROM publish_auto`)).toEqual([{ video_id: ids[7] }]);
    await ds.destroy();

    const before = Date.now();
    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    expect(reopened.applied).toEqual(MIGRATIONS.map((m) => m.name).slice(MIGRATIONS.findIndex((m) => m.name === "UploadJobs1763600000024")));
    const jobs = await ds.query<{ id: number; kind: string; payload: string; state: string; key: string | null; group_key: string | null; priority: number; run_at: number; attempts: number }[]>(
      `SELECT id, kind, payload, state, key, group_key, priority, run_at, attempts FROM job ORDER BY id`);
    expect(jobs.map(({ id: _id, run_at: _runAt, ...rest }) => rest)).toEqual([
      { kind: "upload.send", payload: JSON.stringify({ uploadId: 3 }), state: "queued", key: "upload:3", group_key: "channel:7", priority: 1, attempts: 1 },
      { kind: "upload.send", payload: JSON.stringify({ uploadId: 2 }), state: "queued", key: "upload:2", group_key: "channel:7", priority: 2, attempts: 2 },
      { kind: "upload.send", payload: JSON.stringify({ uploadId: 4 }), state: "parked", key: "upload:4", group_key: "channel:7", priority: 3, attempts: 1 },
      { kind: "upload.send", payload: JSON.stringify({ uploadId: 1 }), state: "queued", key: "upload:1", group_key: "channel:7", priority: 5, attempts: 0 },
      { kind: "upload.settle", payload: JSON.stringify({ uploadId: 4 }), state: "queued", key: "upload:4", group_key: "channel:7", priority: 0, attempts: 0 },
      { kind: "publish.auto", payload: JSON.stringify({ videoIds: [ids[7]] }), state: "queued", key: null, group_key: null, priority: 0, attempts: 0 },
    ]);
    // A retry keeps its time; the others are due at once; the look keeps its planned time.
    expect(jobs[1]?.run_at).toBe(1_900_000_000_000);
    expect(jobs[0]?.run_at).toBeGreaterThanOrEqual(before);
    expect(jobs[4]?.run_at).toBe(1_900_000_000_500);
    const items = await ds.query<{ id: number; state: string; job_id: number | null }[]>(`SELECT id, state, job_id FROM upload_job ORDER BY id`);
    expect(items).toEqual([
      { id: 1, state: "queued", job_id: jobs[3]?.id }, { id: 2, state: "queued", job_id: jobs[1]?.id }, { id: 3, state: "uploading", job_id: jobs[0]?.id },
      { id: 4, state: "uncertain", job_id: jobs[2]?.id }, { id: 5, state: "review", job_id: null }, { id: 6, state: "converting", job_id: null }, { id: 7, state: "sent", job_id: null },
    ]);
    const columns = (await ds.query<{ name: string }[]>(`PRAGMA table_info(upload_job)`)).map((c) => c.name);
    expect(columns).not.toContain("attempts");
    expect(columns).not.toContain("not_before");
    expect(await tableNames(ds)).not.toContain("publish_auto_category");
    expect(await tableNames(ds)).not.toContain("publish_auto");
    // A category set now enqueues nothing by itself: the service that sets it enqueues the auto-publish check.
    await ds.query(`UPDATE video SET category_id = 3 WHERE id = ?`, [ids[5]]);
    expect((await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE kind = 'publish.auto'`))[0]?.n).toBe(1);
  });

  test("upgrading a database with queued and running conversions: each becomes a queued engine job with its attempts, finished ones do not", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "ConversionJobs1763600000021");
    const video = `INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, created_at, updated_at)
      VALUES (?, '/lib', ?, ?, '.ts', 100, 1234, 'indexed', 1, 1)`;
    for (const name of ["queued.ts", "running.ts", "done.ts"]) await ds.query(video, [`/lib/${name}`, name, name]);
    const conversion = `INSERT INTO conversion_job (video_id, state, origin, actor_kind, actor_id, attempts, not_before, temp_path, created_at, updated_at)
      VALUES (?, ?, 'card', 'user', '1001', ?, ?, ?, 5, 5)`;
    await ds.query(conversion, [1, "queued", 2, 1_900_000_000_000, null]);
    await ds.query(conversion, [2, "running", 1, 0, "/lib/.vidlib-2-convert.mp4"]);
    await ds.query(conversion, [3, "done", 1, 0, null]);
    await ds.destroy();

    const before = Date.now();
    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    expect(reopened.applied).toContain("ConversionJobs1763600000021");
    const jobs = await ds.query<{ id: number; kind: string; payload: string; state: string; key: string; run_at: number; attempts: number; max_attempts: number }[]>(
      `SELECT id, kind, payload, state, key, run_at, attempts, max_attempts FROM job ORDER BY id`);
    expect(jobs.map(({ id: _id, run_at: _runAt, ...rest }) => rest)).toEqual([
      { kind: "conversion", payload: JSON.stringify({ conversionId: 1 }), state: "queued", key: "video:1", attempts: 2, max_attempts: 4 },
      { kind: "conversion", payload: JSON.stringify({ conversionId: 2 }), state: "queued", key: "video:2", attempts: 1, max_attempts: 4 },
    ]);
    // A retry keeps its delay; an interrupted conversion is due at once (its next run removes its partial file).
    expect(jobs[0]?.run_at).toBe(1_900_000_000_000);
    expect(jobs[1]?.run_at).toBeGreaterThanOrEqual(before);
    const rows = await ds.query<{ id: number; state: string; job_id: number | null }[]>(`SELECT id, state, job_id FROM conversion_job ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, state: "queued", job_id: jobs[0]?.id },
      { id: 2, state: "running", job_id: jobs[1]?.id },
      { id: 3, state: "done", job_id: null },
    ]);
  });

  test("upgrading a database from before exports ran on the job engine: queued and running exports become queued export jobs, finished ones stay history", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "ExportJobs1763600000020");
    expect((await ds.query<{ name: string }[]>(`PRAGMA table_info(hls_export)`)).map((c) => c.name)).not.toContain("job_id");
    const video = `INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, created_at, updated_at)
      VALUES (?, '/lib', ?, ?, '.mp4', 100, 1, 'indexed', 1, 1) RETURNING id`;
    const ids: number[] = [];
    for (const name of ["L1.mp4", "L2.mp4", "L3.mp4"]) ids.push((await ds.query<{ id: number }[]>(video, [`/lib/${name}`, name, name]))[0]!.id);
    const hls = `INSERT INTO hls_export (video_id, state, origin, actor_kind, actor_id, progress, created_at, started_at, updated_at) VALUES (?, ?, 'video', 'user', '2', ?, 1, ?, 1)`;
    await ds.query(hls, [ids[0], "queued", null, null]);
    await ds.query(hls, [ids[1], "running", 0.6, 5]);
    await ds.query(hls, [ids[2], "done", 1, 5]);
    await ds.destroy();

    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    expect(reopened.applied).toEqual(MIGRATIONS.map((m) => m.name).slice(MIGRATIONS.findIndex((m) => m.name === "ExportJobs1763600000020")));
    const exports = await ds.query<{ id: number; video_id: number; state: string; progress: number | null; job_id: number | null }[]>(
      `SELECT id, video_id, state, progress, job_id FROM hls_export ORDER BY id`);
    expect(exports.map((e) => [e.video_id, e.state, e.progress])).toEqual([[ids[0], "queued", null], [ids[1], "queued", null], [ids[2], "done", 1]]);
    expect(exports[2]!.job_id).toBeNull();
    const jobs = await ds.query<{ id: number; kind: string; payload: string; state: string; key: string; attempts: number; max_attempts: number }[]>(
      `SELECT id, kind, payload, state, key, attempts, max_attempts FROM job ORDER BY id`);
    expect(jobs.map((j) => ({ ...j, payload: JSON.parse(j.payload) as unknown }))).toEqual([0, 1].map((i) => ({
      id: exports[i]!.job_id, kind: EXPORT_HLS.name, payload: { exportId: exports[i]!.id, videoId: ids[i] }, state: "queued", key: `video:${ids[i]}`,
      attempts: 0, max_attempts: EXPORT_HLS.maxAttempts,
    })));
  });

  test("the migrated schema is exactly what the entities describe", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite") }));
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  test("every table the migrations create has an entity, except the FTS5 search index and its shadow tables", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite") }));
    const tables = (await ds.query<{ name: string }[]>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)).map((r) => r.name);
    const described = new Set(ds.entityMetadatas.map((m) => m.tableName));
    const searchIndex = (name: string): boolean => name === "video_search" || name.startsWith("video_search_");
    expect(tables.filter((name) => !described.has(name) && !searchIndex(name) && name !== "migrations")).toEqual([]);
    // The search index really is there, so the exception above is not hiding a misspelt table.
    expect(tables).toEqual(expect.arrayContaining(["video_search", "video_search_data", "video_search_config"]));
  });

  test("opening again applies nothing twice", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    const first = await openDatabase({ path });
    expect(first.applied).toHaveLength(MIGRATIONS.length);
    await first.dataSource.destroy();
    ({ dataSource: ds } = await openDatabase({ path }));
    expect(await ds.showMigrations()).toBe(false);
  });

  test("WAL, foreign keys and a busy timeout are on", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite"), busyTimeoutMs: 4321 }));
    expect(await ds.query("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
    expect(await ds.query("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    expect(await ds.query("PRAGMA busy_timeout")).toEqual([{ timeout: 4321 }]);
    await expect(ds.query(`INSERT INTO video_tag (video_id, tag_id) VALUES (999, 999)`)).rejects.toThrow(/FOREIGN KEY/);
  });

  test("the audit trail refuses updates and deletes", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite") }));
    await ds.query(`INSERT INTO audit_event (at, actor_kind, actor_id, action) VALUES (1, 'system', 'test', 'x')`);
    await expect(ds.query(`UPDATE audit_event SET action = 'y'`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  test("the schema never comes from synchronize", () => {
    expect(createDataSource({ path: ":memory:" }).options.synchronize).toBe(false);
  });
});

describe("follow-up work made explicit", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ds: DataSource | undefined;
  beforeEach(() => { tmp = makeTempDir(); });
  afterEach(async () => { if (ds?.isInitialized) await ds.destroy(); tmp.cleanup(); });

  const triggers = async (d: DataSource): Promise<string[]> =>
    (await d.query<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)).map((r) => r.name);

  test("upgrading drops the follow-up triggers and keeps what their lists hold, for the jobs start-up enqueues; the guards stay", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "ExplicitFollowUps1763600000025");
    // As the previous release left it: triggers listed a tagged video for search, and its shown card for a redraw.
    const [video] = await ds.query<{ id: number }[]>(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, created_at, updated_at)
      VALUES ('/lib/Optics.mp4', '/lib', 'Optics.mp4', 'Optics.mp4', '.mp4', 1, 1, 'indexed', 1, 1) RETURNING id`);
    await ds.query(`DELETE FROM search_dirty`);
    await ds.query(`INSERT INTO video_card (chat_id, message_id, video_id, created_at) VALUES (42, 7, ?, 1)`, [video!.id]);
    await ds.query(`INSERT INTO tag (name, key, created_at) VALUES ('waves', 'waves', 1)`);
    await ds.query(`INSERT INTO video_tag (video_id, tag_id) VALUES (?, 1)`, [video!.id]);
    const [generation] = await ds.query<{ n: number }[]>(`SELECT n FROM library_generation`);
    expect(await ds.query(`SELECT video_id FROM search_dirty`)).toEqual([{ video_id: video!.id }]);
    expect(await ds.query(`SELECT video_id FROM card_dirty`)).toEqual([{ video_id: video!.id }]);
    await ds.destroy();

    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    expect(reopened.applied).toEqual(MIGRATIONS.map((m) => m.name).slice(MIGRATIONS.findIndex((m) => m.name === "ExplicitFollowUps1763600000025")));
    // Integrity guards are all that remain.
    expect(await triggers(ds)).toEqual(["audit_event_no_delete", "audit_event_no_update", "category_audience_guard", "category_channel_audience_insert",
      "category_channel_audience_update", "channel_audience_guard"]);
    expect(await ds.query(`SELECT video_id FROM search_dirty`)).toEqual([{ video_id: video!.id }]);
    expect(await ds.query(`SELECT video_id FROM card_dirty`)).toEqual([{ video_id: video!.id }]);
    // What the bot does at start-up: each list that holds videos gets its job.
    await new VideoFollowUps(new TypeormFollowUpStore(ds), new JobQueue(new TypeormJobStore(ds), systemClock)).resume();
    expect(await ds.query(`SELECT kind, key, state FROM job ORDER BY kind`)).toEqual([
      { kind: "card.refresh", key: "cards", state: "queued" }, { kind: "search.refresh", key: "index", state: "queued" }]);
    // A write no service made is no longer noted by the database.
    await ds.query(`DELETE FROM search_dirty`);
    await ds.query(`DELETE FROM card_dirty`);
    await ds.query(`UPDATE video SET status = 'missing' WHERE id = ?`, [video!.id]);
    expect(await ds.query(`SELECT video_id FROM search_dirty UNION ALL SELECT video_id FROM card_dirty`)).toEqual([]);
    expect(await ds.query(`SELECT n FROM library_generation`)).toEqual([generation]);
  });

  test("an upgraded database with nothing waiting gets no follow-up jobs", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "ExplicitFollowUps1763600000025");
    await ds.destroy();
    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    await new VideoFollowUps(new TypeormFollowUpStore(ds), new JobQueue(new TypeormJobStore(ds), systemClock)).resume();
    expect(await ds.query(`SELECT kind FROM job WHERE kind IN ('search.refresh', 'card.refresh')`)).toEqual([]);
  });
});

describe("captions stored as text", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ds: DataSource | undefined;
  beforeEach(() => { tmp = makeTempDir(); });
  afterEach(async () => { if (ds?.isInitialized) await ds.destroy(); tmp.cleanup(); });

  test("captions stored as HTML by the previous release become the text Telegram keeps, and match the caption of now", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await undoThrough(ds, "PlainCaptions1763600000026");
    const [video] = await ds.query<{ id: number }[]>(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, created_at, updated_at)
      VALUES ('/lib/Q&A <live> "x" &lt;.mp4', '/lib', 'Q&A <live> "x" &lt;.mp4', 'Q&A <live> "x" &lt;.mp4', '.mp4', 1, 1, 'indexed', 1, 1) RETURNING id`);
    // As the previous release stored it: the HTML it sent.
    const old = "<b>Q&amp;A &lt;live&gt; &quot;x&quot; &amp;lt;</b>";
    await ds.query(`INSERT INTO publication (video_id, sent_video_id, channel_id, chat_id, channel_title, message_id, caption, actor_id, sent_at)
      VALUES (?, ?, 1, -100, 'Ch', 5, ?, 'system:test', 1)`, [video!.id, video!.id, old]);
    await ds.query(`INSERT INTO upload_job (video_id, state, seq, force, origin, actor_kind, actor_id, caption, created_at, updated_at)
      VALUES (?, 'sent', 1, 0, 'manual', 'system', 'test', ?, 1, 1)`, [video!.id, old]);
    await ds.destroy();

    const reopened = await openDatabase({ path });
    ds = reopened.dataSource;
    expect(reopened.applied).toEqual(MIGRATIONS.map((m) => m.name).slice(MIGRATIONS.findIndex((m) => m.name === "PlainCaptions1763600000026")));
    const fresh = captionFor({ fileName: 'Q&A <live> "x" &lt;.mp4', category: null, tags: [], durationS: null }).text;
    expect(fresh).toBe('Q&A <live> "x" &lt;');
    expect(await ds.query(`SELECT caption FROM publication`)).toEqual([{ caption: fresh }]);
    expect(await ds.query(`SELECT caption FROM upload_job`)).toEqual([{ caption: fresh }]);
    // And back: the text escaped again for the release before.
    await undoThrough(ds, "PlainCaptions1763600000026");
    expect(await ds.query(`SELECT caption FROM publication`)).toEqual([{ caption: "Q&amp;A &lt;live&gt; &quot;x&quot; &amp;lt;" }]);
  });
});

/** Undoes the newest migrations down to and including the named one, as a database made before it was. */
async function undoThrough(ds: DataSource, name: string): Promise<void> {
  const newerOrSame = MIGRATIONS.length - MIGRATIONS.findIndex((m) => m.name === name);
  for (let i = 0; i < newerOrSame; i++) await ds.undoLastMigration({ transaction: "each" });
}
