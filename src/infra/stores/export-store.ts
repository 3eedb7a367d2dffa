import type { DataSource } from "typeorm";
import { actorId, actorRefOf, type ActorRef } from "../../services/actor.js";
import type { ExportJob, ExportSource, ExportState, ExportStore } from "../../services/export/ports.js";
import { rawDatabase } from "./raw-sqlite.js";

interface JobRow {
  id: number; video_id: number; file_name: string | null; state: ExportState; origin: string; actor_kind: "user" | "system"; actor_id: string;
  rungs: string | null; output_dir: string | null; progress: number | null; error: string | null; created_at: number; finished_at: number | null;
}

const JOB = `SELECT j.id, j.video_id, v.file_name, j.state, j.origin, j.actor_kind, j.actor_id, j.rungs, j.output_dir, j.progress, j.error, j.created_at, j.finished_at
  FROM hls_export j LEFT JOIN video v ON v.id = j.video_id`;

const jobOf = (r: JobRow): ExportJob => ({
  id: r.id, videoId: r.video_id, fileName: r.file_name ?? `video ${r.video_id}`, state: r.state, origin: r.origin,
  actor: actorRefOf(r.actor_kind, r.actor_id),
  rungs: r.rungs, outputDir: r.output_dir, progress: r.progress, error: r.error, createdAt: r.created_at, finishedAt: r.finished_at,
});
const isConstraint = (err: unknown): boolean => String((err as { code?: string }).code ?? "").startsWith("SQLITE_CONSTRAINT");

// better-sqlite3 is synchronous; the port is async so other stores could be used.
/* eslint-disable @typescript-eslint/require-await */
/** HLS export jobs in SQLite. */
export class SqliteExportStore implements ExportStore {
  constructor(private readonly dataSource: DataSource) {}

  private get db() {
    return rawDatabase(this.dataSource);
  }

  async source(videoId: number): Promise<ExportSource | null> {
    const row = this.db.prepare(`SELECT id, path, file_name, status, media_kind, duration_s, height, audio_codec FROM video WHERE id = ?`).get(videoId) as
      { id: number; path: string; file_name: string; status: string; media_kind: string; duration_s: number | null; height: number | null; audio_codec: string | null } | undefined;
    return row === undefined ? null : { id: row.id, path: row.path, fileName: row.file_name, status: row.status, mediaKind: row.media_kind, durationS: row.duration_s, height: row.height, audioCodec: row.audio_codec };
  }

  async categoryVideos(categoryId: number): Promise<number[]> {
    return this.db.prepare(`SELECT id FROM video v WHERE category_id = ? AND status = 'indexed' AND media_kind = 'video' AND height IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM video d WHERE d.derived_from_id = v.id AND d.status = 'indexed') ORDER BY relative_path`).pluck().all(categoryId) as number[];
  }

  async enqueue(videoId: number, origin: string, actor: ActorRef, now: number): Promise<number | null> {
    try {
      return this.db.prepare(`INSERT INTO hls_export (video_id, state, origin, actor_kind, actor_id, created_at, updated_at) VALUES (?, 'queued', ?, ?, ?, ?, ?) RETURNING id`)
        .pluck().get(videoId, origin, actor.kind, actorId(actor), now, now) as number;
    } catch (err) {
      if (isConstraint(err)) return null;
      throw err;
    }
  }

  async attach(exportId: number, jobId: number): Promise<void> {
    this.db.prepare(`UPDATE hls_export SET job_id = ? WHERE id = ?`).run(jobId, exportId);
  }

  async discard(exportId: number): Promise<void> {
    this.db.prepare(`DELETE FROM hls_export WHERE id = ? AND state = 'queued'`).run(exportId);
  }

  async get(exportId: number): Promise<ExportJob | null> {
    const row = this.db.prepare(`${JOB} WHERE j.id = ?`).get(exportId) as JobRow | undefined;
    return row === undefined ? null : jobOf(row);
  }

  async start(exportId: number, now: number): Promise<void> {
    this.db.prepare(`UPDATE hls_export SET state = 'running', started_at = ?, progress = 0, updated_at = ? WHERE id = ? AND state IN ('queued', 'running')`).run(now, now, exportId);
  }

  async progress(exportId: number, share: number, now: number): Promise<void> {
    this.db.prepare(`UPDATE hls_export SET progress = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(share, now, exportId);
  }

  async requeue(exportId: number, now: number): Promise<void> {
    this.db.prepare(`UPDATE hls_export SET state = 'queued', progress = NULL, updated_at = ? WHERE id = ? AND state IN ('queued', 'running')`).run(now, exportId);
  }

  async finish(exportId: number, state: "done" | "failed" | "cancelled", outcome: { rungs?: string; outputDir?: string; error?: string }, now: number): Promise<void> {
    this.db.prepare(`UPDATE hls_export SET state = ?, rungs = ?, output_dir = ?, error = ?, progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END, finished_at = ?, updated_at = ? WHERE id = ?`)
      .run(state, outcome.rungs ?? null, outcome.outputDir ?? null, outcome.error ?? null, state, now, now, exportId);
  }

  async settle(now: number): Promise<number> {
    return this.db.prepare(`UPDATE hls_export SET state = CASE WHEN q.state = 'cancelled' THEN 'cancelled' ELSE 'failed' END,
        error = CASE WHEN q.state = 'cancelled' THEN NULL ELSE coalesce(q.reason, 'the export stopped without a result') END, finished_at = ?, updated_at = ?
      FROM job q WHERE q.id = hls_export.job_id AND hls_export.state IN ('queued', 'running') AND q.state IN ('done', 'failed', 'cancelled', 'parked')`).run(now, now).changes;
  }

  async orphans(): Promise<{ id: number; videoId: number }[]> {
    return (this.db.prepare(`SELECT id, video_id FROM hls_export WHERE job_id IS NULL AND state IN ('queued', 'running') ORDER BY id`).all() as { id: number; video_id: number }[])
      .map((r) => ({ id: r.id, videoId: r.video_id }));
  }

  async recent(limit: number): Promise<ExportJob[]> {
    return (this.db.prepare(`${JOB} ORDER BY j.id DESC LIMIT ?`).all(limit) as JobRow[]).map(jobOf);
  }

  async counts(): Promise<Record<ExportState, number>> {
    const counts: Record<ExportState, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
    for (const row of this.db.prepare(`SELECT state, count(*) AS n FROM hls_export GROUP BY state`).all() as { state: ExportState; n: number }[]) counts[row.state] = row.n;
    return counts;
  }
}
