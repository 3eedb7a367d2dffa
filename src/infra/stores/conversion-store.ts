/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 statements are synchronous; the methods are async because the service ports are. */
import type { DataSource } from "typeorm";
import { actorId, actorRefOf, type ActorRef } from "../../services/actor.js";
import { JOB_STATES, type ConversionJob, type ConversionStore, type JobEnd, type JobOrigin, type JobState, type JobSummary, type SourceVideo } from "../../services/conversion/job.js";
import { rawDatabase, type RawDatabase } from "./raw-sqlite.js";

interface JobRow {
  id: number; video_id: number; job_id: number | null; state: JobState; origin: JobOrigin; actor_kind: string; actor_id: string; attempts: number; not_before: number;
  mode: ConversionJob["mode"]; temp_path: string | null; output_path: string | null; output_video_id: number | null; progress: number | null;
  speed: number | null; eta_s: number | null; reason: string | null; error_tail: string | null; created_at: number; started_at: number | null;
  finished_at: number | null; file_name?: string;
}
interface SourceRow {
  id: number; path: string; file_name: string; extension: string; status: SourceVideo["status"]; container: string | null; video_codec: string | null;
  pixel_format: string | null; audio_codec: string | null; duration_s: number | null; width: number | null; height: number | null; size_bytes: number; mtime_ms: number;
  media_kind: SourceVideo["mediaKind"];
}

const toJob = (r: JobRow): ConversionJob => ({
  id: r.id, videoId: r.video_id, engineJobId: r.job_id, state: r.state, origin: r.origin, actor: actorRefOf(r.actor_kind, r.actor_id), attempts: r.attempts, notBefore: r.not_before,
  mode: r.mode, tempPath: r.temp_path, outputPath: r.output_path, outputVideoId: r.output_video_id, progress: r.progress, speed: r.speed, etaS: r.eta_s,
  reason: r.reason, errorTail: r.error_tail === null ? [] : (JSON.parse(r.error_tail) as string[]), createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
});
const toSource = (r: SourceRow): SourceVideo => ({
  id: r.id, path: r.path, fileName: r.file_name, extension: r.extension, status: r.status, mediaKind: r.media_kind, container: r.container, videoCodec: r.video_codec,
  pixelFormat: r.pixel_format, audioCodec: r.audio_codec, durationS: r.duration_s, width: r.width, height: r.height, sizeBytes: r.size_bytes, mtimeMs: r.mtime_ms,
});
const SOURCE_COLUMNS = `id, path, file_name, extension, status, media_kind, container, video_codec, pixel_format, audio_codec, duration_s, width, height, size_bytes, mtime_ms`;
const list = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

/** Conversion jobs in SQLite (synchronous statements on the shared connection: each call is atomic). */
export class SqliteConversionStore implements ConversionStore {
  private readonly db: RawDatabase;

  constructor(dataSource: DataSource) {
    this.db = rawDatabase(dataSource);
  }

  async enqueue(requests: readonly { videoId: number; origin: JobOrigin; actor: ActorRef }[], now: number): Promise<Map<number, number | null>> {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO conversion_job (video_id, state, origin, actor_kind, actor_id, created_at, updated_at)
      SELECT ?, 'queued', ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM video WHERE id = ?)`);
    const lastId = this.db.prepare(`SELECT last_insert_rowid()`).pluck();
    const result = new Map<number, number | null>();
    this.db.transaction(() => {
      for (const r of requests) {
        const { changes } = insert.run(r.videoId, r.origin, r.actor.kind, actorId(r.actor), now, now, r.videoId);
        result.set(r.videoId, changes > 0 ? (lastId.get() as number) : null);
      }
    })();
    return result;
  }

  async setEngineJob(id: number, engineJobId: number): Promise<void> {
    this.db.prepare(`UPDATE conversion_job SET job_id = ? WHERE id = ?`).run(engineJobId, id);
  }

  async start(id: number, attempt: number, now: number): Promise<ConversionJob | null> {
    const row = this.db.prepare(`UPDATE conversion_job SET state = 'running', attempts = ?, started_at = ?, updated_at = ?,
        progress = 0, speed = NULL, eta_s = NULL, reason = NULL, temp_path = NULL
      WHERE id = ? AND state IN ('queued', 'running') RETURNING *`).get(attempt, now, now, id) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async job(id: number): Promise<ConversionJob | null> {
    const row = this.db.prepare(`SELECT * FROM conversion_job WHERE id = ?`).get(id) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async latestFor(videoIds: readonly number[]): Promise<Map<number, ConversionJob>> {
    const found = new Map<number, ConversionJob>();
    const statement = this.db.prepare(`SELECT * FROM conversion_job WHERE video_id = ? ORDER BY id DESC LIMIT 1`);
    for (const id of videoIds) {
      const row = statement.get(id) as JobRow | undefined;
      if (row !== undefined) found.set(id, toJob(row));
    }
    return found;
  }

  async setTemp(id: number, tempPath: string | null, now: number): Promise<void> {
    this.db.prepare(`UPDATE conversion_job SET temp_path = ?, updated_at = ? WHERE id = ?`).run(tempPath, now, id);
  }

  async setProgress(id: number, progress: number, speed: number | null, etaS: number | null, now: number): Promise<void> {
    this.db.prepare(`UPDATE conversion_job SET progress = ?, speed = ?, eta_s = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(progress, speed, etaS, now, id);
  }

  async finish(id: number, end: JobEnd, now: number): Promise<void> {
    const mode = end.state === "cancelled" ? null : end.mode;
    const output = end.state === "done" ? [end.outputPath, end.outputVideoId] : [null, null];
    const tail = end.state === "failed" && end.tail.length > 0 ? JSON.stringify(end.tail) : null;
    this.db.prepare(`UPDATE conversion_job SET state = ?, mode = ?, reason = ?, error_tail = ?, output_path = ?, output_video_id = ?, temp_path = NULL,
        finished_at = ?, updated_at = ?, eta_s = NULL WHERE id = ?`).run(end.state, mode, end.reason, tail, output[0], output[1], now, now, id);
  }

  async requeue(id: number, notBefore: number, reason: string | null, countAttempt: boolean, now: number): Promise<void> {
    this.db.prepare(`UPDATE conversion_job SET state = 'queued', not_before = ?, reason = ?, temp_path = NULL, progress = NULL, speed = NULL, eta_s = NULL,
        attempts = attempts - ?, updated_at = ? WHERE id = ?`).run(notBefore, reason, countAttempt ? 0 : 1, now, id);
  }

  async cancelQueued(id: number, now: number): Promise<JobState | null> {
    const state = this.db.prepare(`SELECT state FROM conversion_job WHERE id = ?`).pluck().get(id) as JobState | undefined;
    if (state === "queued") {
      this.db.prepare(`UPDATE conversion_job SET state = 'cancelled', reason = 'cancelled before it started', finished_at = ?, updated_at = ? WHERE id = ? AND state = 'queued'`).run(now, now, id);
    }
    return state ?? null;
  }

  async settle(now: number): Promise<number[]> {
    return this.db.prepare(`UPDATE conversion_job SET state = CASE WHEN q.state = 'cancelled' THEN 'cancelled' ELSE 'failed' END,
        reason = CASE WHEN q.state = 'cancelled' THEN conversion_job.reason ELSE coalesce(q.reason, 'the conversion stopped without a result') END,
        finished_at = ?, updated_at = ?
      FROM job q WHERE q.id = conversion_job.job_id AND conversion_job.state IN ('queued', 'running') AND q.state IN ('done', 'failed', 'cancelled', 'parked')
      RETURNING conversion_job.video_id`).pluck().all(now, now) as number[];
  }

  async orphans(): Promise<{ id: number; videoId: number }[]> {
    return (this.db.prepare(`SELECT id, video_id FROM conversion_job WHERE job_id IS NULL AND state IN ('queued', 'running') ORDER BY id`).all() as { id: number; video_id: number }[])
      .map((r) => ({ id: r.id, videoId: r.video_id }));
  }

  async interrupted(now: number): Promise<number> {
    return this.db.prepare(`SELECT count(*) FROM conversion_job c JOIN job j ON j.id = c.job_id
      WHERE c.state = 'running' AND j.state = 'running' AND j.lease_until < ?`).pluck().get(now) as number;
  }

  async retryFailed(actor: ActorRef, now: number): Promise<ConversionJob[]> {
    return (this.db.prepare(`UPDATE conversion_job SET state = 'queued', attempts = 0, not_before = 0, reason = NULL, error_tail = NULL, origin = 'retry',
        actor_kind = ?, actor_id = ?, finished_at = NULL, updated_at = ?
      WHERE state = 'failed' AND id = (SELECT max(j.id) FROM conversion_job j WHERE j.video_id = conversion_job.video_id)
        AND EXISTS (SELECT 1 FROM video v WHERE v.id = conversion_job.video_id AND v.status = 'indexed') RETURNING *`).all(actor.kind, actorId(actor), now) as JobRow[]).map(toJob);
  }

  async counts(since: number): Promise<Record<JobState, number>> {
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    const rows = this.db.prepare(`SELECT state, count(*) AS n FROM conversion_job j WHERE state IN ('queued', 'running')
        OR (finished_at >= ? AND id = (SELECT max(k.id) FROM conversion_job k WHERE k.video_id = j.video_id)) GROUP BY state`).all(since) as { state: JobState; n: number }[];
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  async list(limit: number): Promise<JobSummary[]> {
    const rows = this.db.prepare(`SELECT j.*, v.file_name FROM conversion_job j JOIN video v ON v.id = j.video_id
      WHERE j.state IN ('running', 'queued') OR (j.state = 'failed' AND j.id = (SELECT max(k.id) FROM conversion_job k WHERE k.video_id = j.video_id))
      ORDER BY CASE j.state WHEN 'running' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, CASE WHEN j.state = 'failed' THEN -j.id ELSE j.id END LIMIT ?`).all(limit) as (JobRow & { file_name: string })[];
    return rows.map((r) => ({ ...toJob(r), fileName: r.file_name }));
  }

  async position(id: number): Promise<number> {
    return this.db.prepare(`SELECT count(*) FROM conversion_job WHERE state = 'queued' AND id <= ?`).pluck().get(id) as number;
  }

  async source(videoId: number): Promise<SourceVideo | null> {
    const row = this.db.prepare(`SELECT ${SOURCE_COLUMNS} FROM video WHERE id = ?`).get(videoId) as SourceRow | undefined;
    return row === undefined ? null : toSource(row);
  }

  async sources(videoIds: readonly number[]): Promise<SourceVideo[]> {
    const found = new Map<number, SourceVideo>();
    for (let i = 0; i < videoIds.length; i += 400) {
      const batch = videoIds.slice(i, i + 400);
      for (const row of this.db.prepare(`SELECT ${SOURCE_COLUMNS} FROM video WHERE id IN (${list(batch.length)})`).all(...batch) as SourceRow[]) found.set(row.id, toSource(row));
    }
    return videoIds.flatMap((id) => found.get(id) ?? []);
  }

  async autoCandidates(extensions: readonly string[], since: number, limit: number): Promise<number[]> {
    if (extensions.length === 0) return [];
    return this.db.prepare(`SELECT v.id FROM video v WHERE v.status = 'indexed' AND v.media_kind = 'video' AND v.extension IN (${list(extensions.length)}) AND v.created_at >= ?
        AND NOT EXISTS (SELECT 1 FROM conversion_job j WHERE j.video_id = v.id)
        AND NOT EXISTS (SELECT 1 FROM video d WHERE d.derived_from_id = v.id)
        AND NOT EXISTS (SELECT 1 FROM video m WHERE m.root = v.root AND m.extension = '.mp4' AND m.status != 'missing'
          AND lower(m.relative_path) = lower(substr(v.relative_path, 1, length(v.relative_path) - length(v.extension)) || '.mp4'))
      ORDER BY v.id LIMIT ?`).pluck().all(...extensions, since, limit) as number[];
  }

  async adoptOutput(sourceId: number, outputId: number, now: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE video SET derived_from_id = ?, category_id = coalesce(category_id, (SELECT category_id FROM video WHERE id = ?)), updated_at = ? WHERE id = ?`)
        .run(sourceId, sourceId, now, outputId);
      this.db.prepare(`INSERT OR IGNORE INTO video_tag (video_id, tag_id) SELECT ?, tag_id FROM video_tag WHERE video_id = ?`).run(outputId, sourceId);
    })();
  }

  async derivedOf(videoId: number): Promise<{ id: number; fileName: string } | null> {
    const row = this.db.prepare(`SELECT id, file_name FROM video WHERE derived_from_id = ? AND status = 'indexed' ORDER BY id DESC LIMIT 1`).get(videoId) as { id: number; file_name: string } | undefined;
    return row === undefined ? null : { id: row.id, fileName: row.file_name };
  }
}
