import { In, IsNull, type DataSource, type SelectQueryBuilder } from "typeorm";
import { actorId, actorRefOf, type ActorRef } from "../../../services/people/actor.js";
import type { ExportJob, ExportSource, ExportState, ExportStore } from "../../../services/export/ports.js";
import { HlsExport } from "../../../entities/hls-export.js";
import { Video } from "../../../entities/video.js";
import { count, isConstraintViolation } from "./db-errors.js";

interface JobRow {
  id: unknown; videoId: unknown; fileName: string | null; state: ExportState; origin: string; actorKind: string; actorId: string;
  rungs: string | null; outputDir: string | null; progress: number | null; error: string | null; createdAt: unknown; finishedAt: unknown;
}

const jobOf = (r: JobRow): ExportJob => ({
  id: Number(r.id), videoId: Number(r.videoId), fileName: r.fileName ?? `video ${String(r.videoId)}`, state: r.state, origin: r.origin,
  actor: actorRefOf(r.actorKind, r.actorId), rungs: r.rungs, outputDir: r.outputDir, progress: r.progress === null ? null : Number(r.progress), error: r.error,
  createdAt: Number(r.createdAt), finishedAt: r.finishedAt === null ? null : Number(r.finishedAt),
});
/** An engine job that has ended, and what it says about the export attached to it. */
const ENDED_JOB = `SELECT q.state FROM job q WHERE q.id = hls_export.job_id AND q.state IN ('done', 'failed', 'cancelled', 'parked')`;

/** HLS export jobs, through TypeORM. */
export class SqliteExportStore implements ExportStore {
  constructor(private readonly dataSource: DataSource) {}

  private get exports() {
    return this.dataSource.getRepository(HlsExport);
  }

  async source(videoId: number): Promise<ExportSource | null> {
    const row = await this.dataSource.getRepository(Video).findOne({ select: { id: true, path: true, folder: true, root: true, relativePath: true, fileName: true, status: true, mediaKind: true, durationS: true,
      height: true, audioCodec: true }, where: { id: videoId } });
    return row === null ? null : { id: row.id, path: row.path, folder: row.folder, root: row.root, relativePath: row.relativePath, fileName: row.fileName, status: row.status, mediaKind: row.mediaKind, durationS: row.durationS,
      height: row.height, audioCodec: row.audioCodec };
  }

  async categoryVideos(categoryId: number): Promise<number[]> {
    const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v").select("v.id")
      .where(`v.category_id = :categoryId AND v.status = 'indexed' AND v.media_kind = 'video' AND v.height IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM video d WHERE d.derived_from_id = v.id AND d.status = 'indexed')`, { categoryId }).orderBy("v.relative_path").getMany();
    return rows.map((r) => r.id);
  }

  async enqueue(videoId: number, origin: string, actor: ActorRef, now: number): Promise<number | null> {
    try {
      const result = await this.exports.insert({ videoId, state: "queued", origin, actorKind: actor.kind, actorId: actorId(actor), createdAt: now, updatedAt: now });
      return Number((result.identifiers[0] as { id: number }).id);
    } catch (err) {
      if (isConstraintViolation(err)) return null;
      throw err;
    }
  }

  async attach(exportId: number, jobId: number): Promise<void> {
    await this.exports.update({ id: exportId }, { jobId });
  }

  async discard(exportId: number): Promise<void> {
    await this.exports.delete({ id: exportId, state: "queued" });
  }

  async get(exportId: number): Promise<ExportJob | null> {
    const row = await this.jobs().where("j.id = :exportId", { exportId }).getRawOne<JobRow>();
    return row === undefined ? null : jobOf(row);
  }

  async start(exportId: number, now: number): Promise<void> {
    await this.exports.update({ id: exportId, state: In(["queued", "running"]) }, { state: "running", startedAt: now, progress: 0, updatedAt: now });
  }

  async progress(exportId: number, share: number, now: number): Promise<void> {
    await this.exports.update({ id: exportId, state: "running" }, { progress: share, updatedAt: now });
  }

  async requeue(exportId: number, now: number): Promise<void> {
    await this.exports.update({ id: exportId, state: In(["queued", "running"]) }, { state: "queued", progress: null, updatedAt: now });
  }

  async finish(exportId: number, state: "done" | "failed" | "cancelled", outcome: { rungs?: string; outputDir?: string; error?: string }, now: number): Promise<void> {
    await this.exports.update({ id: exportId }, { state, rungs: outcome.rungs ?? null, outputDir: outcome.outputDir ?? null, error: outcome.error ?? null,
      ...(state === "done" ? { progress: 1 } : {}), finishedAt: now, updatedAt: now });
  }

  async settle(now: number): Promise<number> {
    // Correlated subqueries rather than UPDATE … FROM, which each database spells its own way.
    const result = await this.exports.createQueryBuilder().update(HlsExport)
      .set({
        state: () => `CASE WHEN (${ENDED_JOB}) = 'cancelled' THEN 'cancelled' ELSE 'failed' END`,
        error: () => `CASE WHEN (${ENDED_JOB}) = 'cancelled' THEN NULL
          ELSE coalesce((SELECT q.reason FROM job q WHERE q.id = hls_export.job_id), 'the export stopped without a result') END`,
        finishedAt: now, updatedAt: now,
      })
      .where(`state IN ('queued', 'running') AND EXISTS (${ENDED_JOB})`).updateEntity(false).execute();
    return result.affected ?? 0;
  }

  async orphans(): Promise<{ id: number; videoId: number }[]> {
    const rows = await this.exports.find({ select: { id: true, videoId: true }, where: { jobId: IsNull(), state: In(["queued", "running"]) }, order: { id: "ASC" } });
    return rows.map((r) => ({ id: r.id, videoId: r.videoId }));
  }

  async recent(limit: number): Promise<ExportJob[]> {
    return (await this.jobs().orderBy("j.id", "DESC").limit(limit).getRawMany<JobRow>()).map(jobOf);
  }

  async counts(): Promise<Record<ExportState, number>> {
    const counts: Record<ExportState, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
    const rows = await this.exports.createQueryBuilder("j").select("j.state", "state").addSelect("COUNT(*)", "n").groupBy("j.state").getRawMany<{ state: ExportState; n: unknown }>();
    for (const row of rows) counts[row.state] = count(row.n);
    return counts;
  }

  private jobs(): SelectQueryBuilder<HlsExport> {
    return this.exports.createQueryBuilder("j").leftJoin(Video, "v", "v.id = j.video_id")
      .select("j.id", "id").addSelect("j.video_id", "videoId").addSelect("v.file_name", "fileName").addSelect("j.state", "state").addSelect("j.origin", "origin")
      .addSelect("j.actor_kind", "actorKind").addSelect("j.actor_id", "actorId").addSelect("j.rungs", "rungs").addSelect("j.output_dir", "outputDir")
      .addSelect("j.progress", "progress").addSelect("j.error", "error").addSelect("j.created_at", "createdAt").addSelect("j.finished_at", "finishedAt");
  }
}
