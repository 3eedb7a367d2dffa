import { In, type DataSource, type EntityManager } from "typeorm";
import { actorId, actorRefOf, type ActorRef } from "../../../services/people/actor.js";
import { JOB_STATES, type ConversionJob, type ConversionStore, type JobEnd, type JobOrigin, type JobState, type JobSummary, type PlacedSource, type SourceVideo } from "../../../services/conversion/job.js";
import { ConversionJob as JobRow } from "../../../entities/conversion-job.js";
import { Video } from "../../../entities/video.js";
import { Job } from "../../../entities/job.js";
import { count } from "./db-errors.js";
import { inTransaction } from "./transaction.js";
import { inheritTagsAndCategory } from "./video-tags.js";

const toJob = (r: JobRow): ConversionJob => ({
  id: r.id, videoId: r.videoId, engineJobId: r.jobId, state: r.state, origin: r.origin as JobOrigin, actor: actorRefOf(r.actorKind, r.actorId),
  attempts: r.attempts, notBefore: r.notBefore, mode: r.mode as ConversionJob["mode"], tempPath: r.tempPath, outputPath: r.outputPath, outputVideoId: r.outputVideoId,
  progress: r.progress, speed: r.speed, etaS: r.etaS, reason: r.reason, errorTail: r.errorTail === null ? [] : (JSON.parse(r.errorTail) as string[]),
  createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt,
});
const toSource = (r: Video): PlacedSource => ({
  id: r.id, path: r.path, folder: r.folder, root: r.root, relativePath: r.relativePath, fileName: r.fileName, extension: r.extension, status: r.status, mediaKind: r.mediaKind, container: r.container, videoCodec: r.videoCodec,
  pixelFormat: r.pixelFormat, audioCodec: r.audioCodec, durationS: r.durationS, width: r.width, height: r.height, sizeBytes: r.sizeBytes, mtimeMs: r.mtimeMs,
});
const SOURCE_FIELDS = { id: true, path: true, folder: true, root: true, relativePath: true, fileName: true, extension: true, status: true, mediaKind: true, container: true, videoCodec: true, pixelFormat: true,
  audioCodec: true, durationS: true, width: true, height: true, sizeBytes: true, mtimeMs: true } as const;
const BATCH = 400;
const ACTIVE = ["queued", "running"];
/** The engine job behind a conversion, once it has ended. */
const ENDED_JOB = `SELECT q.state FROM job q WHERE q.id = conversion_job.job_id AND q.state IN ('done', 'failed', 'cancelled', 'parked')`;
const LATEST_OF_VIDEO = (alias: string): string => `${alias}.id = (SELECT MAX(k.id) FROM conversion_job k WHERE k.video_id = ${alias}.video_id)`;

/** Conversion jobs, through TypeORM. */
export class SqliteConversionStore implements ConversionStore {
  constructor(private readonly dataSource: DataSource) {}

  private get jobs() {
    return this.dataSource.getRepository(JobRow);
  }

  async enqueue(requests: readonly { videoId: number; origin: JobOrigin; actor: ActorRef }[], now: number): Promise<Map<number, number | null>> {
    const result = new Map<number, number | null>();
    await inTransaction(this.dataSource, async (m) => {
      const present = await this.existingVideos(m, requests.map((r) => r.videoId));
      for (const r of requests) result.set(r.videoId, present.has(r.videoId) ? await this.insertIfIdle(m, r, now) : null);
    });
    return result;
  }

  /** Inserts a queued job unless the video already has one queued or running (the unique index decides); returns its id or null. */
  private async insertIfIdle(m: EntityManager, r: { videoId: number; origin: JobOrigin; actor: ActorRef }, now: number): Promise<number | null> {
    const [sql, parameters] = m.createQueryBuilder().insert().into(JobRow)
      .values({ videoId: r.videoId, state: "queued", origin: r.origin, actorKind: r.actor.kind, actorId: actorId(r.actor), createdAt: now, updatedAt: now })
      .orIgnore().updateEntity(false).getQueryAndParameters();
    const inserted = await m.queryRunner?.query(sql, parameters, true) as { affected?: number } | undefined;
    if ((inserted?.affected ?? 0) === 0) return null;
    const row = await m.findOne(JobRow, { select: { id: true }, where: { videoId: r.videoId, state: In(ACTIVE) } });
    return row?.id ?? null;
  }

  private async existingVideos(m: EntityManager, ids: readonly number[]): Promise<Set<number>> {
    const found = new Set<number>();
    for (let i = 0; i < ids.length; i += BATCH) {
      for (const v of await m.find(Video, { select: { id: true }, where: { id: In(ids.slice(i, i + BATCH)) } })) found.add(v.id);
    }
    return found;
  }

  async setEngineJob(id: number, engineJobId: number): Promise<void> {
    await this.jobs.update({ id }, { jobId: engineJobId });
  }

  async start(id: number, attempt: number, now: number): Promise<ConversionJob | null> {
    return inTransaction(this.dataSource, async (m) => {
      const changed = await m.update(JobRow, { id, state: In(ACTIVE) }, { state: "running", attempts: attempt, startedAt: now, updatedAt: now, progress: 0, speed: null,
        etaS: null, reason: null, tempPath: null });
      if ((changed.affected ?? 0) === 0) return null;
      const row = await m.findOneBy(JobRow, { id });
      return row === null ? null : toJob(row);
    });
  }

  async job(id: number): Promise<ConversionJob | null> {
    const row = await this.jobs.findOneBy({ id });
    return row === null ? null : toJob(row);
  }

  async latestFor(videoIds: readonly number[]): Promise<Map<number, ConversionJob>> {
    const found = new Map<number, ConversionJob>();
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const rows = await this.jobs.createQueryBuilder("j").where({ videoId: In(videoIds.slice(i, i + BATCH)) }).andWhere(LATEST_OF_VIDEO("j")).getMany();
      for (const row of rows) found.set(row.videoId, toJob(row));
    }
    return new Map(videoIds.flatMap((id) => { const job = found.get(id); return job === undefined ? [] : [[id, job] as const]; }));
  }

  async setTemp(id: number, tempPath: string | null, now: number): Promise<void> {
    await this.jobs.update({ id }, { tempPath, updatedAt: now });
  }

  async setProgress(id: number, progress: number, speed: number | null, etaS: number | null, now: number): Promise<void> {
    await this.jobs.update({ id, state: "running" }, { progress, speed, etaS, updatedAt: now });
  }

  async finish(id: number, end: JobEnd, now: number): Promise<void> {
    const done = end.state === "done";
    await this.jobs.update({ id }, { state: end.state, mode: end.state === "cancelled" ? null : end.mode, reason: end.reason,
      errorTail: end.state === "failed" && end.tail.length > 0 ? JSON.stringify(end.tail) : null, outputPath: done ? end.outputPath : null,
      outputVideoId: done ? end.outputVideoId : null, tempPath: null, finishedAt: now, updatedAt: now, etaS: null });
  }

  async requeue(id: number, notBefore: number, reason: string | null, countAttempt: boolean, now: number): Promise<void> {
    await this.jobs.createQueryBuilder().update(JobRow).set({ state: "queued", notBefore, reason, tempPath: null, progress: null, speed: null, etaS: null,
      attempts: () => (countAttempt ? "attempts" : "attempts - 1"), updatedAt: now }).where("id = :id", { id }).updateEntity(false).execute();
  }

  async cancelQueued(id: number, now: number): Promise<JobState | null> {
    const row = await this.jobs.findOne({ select: { state: true }, where: { id } });
    if (row?.state === "queued") {
      await this.jobs.update({ id, state: "queued" }, { state: "cancelled", reason: "cancelled before it started", finishedAt: now, updatedAt: now });
    }
    return (row?.state) ?? null;
  }

  async settle(now: number): Promise<number[]> {
    const ended = `state IN ('queued', 'running') AND EXISTS (${ENDED_JOB})`;
    return inTransaction(this.dataSource, async (m) => {
      const videos = (await m.createQueryBuilder(JobRow, "conversion_job").select("conversion_job.video_id", "videoId").where(ended)
        .getRawMany<{ videoId: unknown }>()).map((r) => Number(r.videoId));
      if (videos.length === 0) return [];
      // Correlated subqueries rather than UPDATE … FROM, which each database spells its own way.
      await m.createQueryBuilder().update(JobRow)
        .set({
          state: () => `CASE WHEN (${ENDED_JOB}) = 'cancelled' THEN 'cancelled' ELSE 'failed' END`,
          reason: () => `CASE WHEN (${ENDED_JOB}) = 'cancelled' THEN conversion_job.reason
            ELSE coalesce((SELECT q.reason FROM job q WHERE q.id = conversion_job.job_id), 'the conversion stopped without a result') END`,
          finishedAt: now, updatedAt: now,
        })
        .where(ended).updateEntity(false).execute();
      return videos;
    });
  }

  async orphans(): Promise<{ id: number; videoId: number }[]> {
    const rows = await this.jobs.createQueryBuilder("j").select(["j.id", "j.videoId"]).where("j.job_id IS NULL AND j.state IN ('queued', 'running')").orderBy("j.id").getMany();
    return rows.map((r) => ({ id: r.id, videoId: r.videoId }));
  }

  async interrupted(now: number): Promise<number> {
    return this.jobs.createQueryBuilder("c").innerJoin(Job, "j", "j.id = c.job_id")
      .where("c.state = 'running' AND j.state = 'running' AND j.lease_until < :now", { now }).getCount();
  }

  async retryFailed(actor: ActorRef, now: number): Promise<ConversionJob[]> {
    return inTransaction(this.dataSource, async (m) => {
      const ids = (await m.createQueryBuilder(JobRow, "j").select("j.id").where(`j.state = 'failed' AND ${LATEST_OF_VIDEO("j")}
        AND EXISTS (SELECT 1 FROM video v WHERE v.id = j.video_id AND v.status = 'indexed')`).getMany()).map((r) => r.id);
      if (ids.length === 0) return [];
      for (let i = 0; i < ids.length; i += BATCH) {
        await m.update(JobRow, { id: In(ids.slice(i, i + BATCH)), state: "failed" }, { state: "queued", attempts: 0, notBefore: 0, reason: null, errorTail: null,
          origin: "retry", actorKind: actor.kind, actorId: actorId(actor), finishedAt: null, updatedAt: now });
      }
      const rows: JobRow[] = [];
      for (let i = 0; i < ids.length; i += BATCH) rows.push(...await m.find(JobRow, { where: { id: In(ids.slice(i, i + BATCH)) }, order: { id: "ASC" } }));
      return rows.map(toJob);
    });
  }

  async counts(since: number): Promise<Record<JobState, number>> {
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    const rows = await this.jobs.createQueryBuilder("j").select("j.state", "state").addSelect("COUNT(*)", "n")
      .where(`j.state IN ('queued', 'running') OR (j.finished_at >= :since AND ${LATEST_OF_VIDEO("j")})`, { since }).groupBy("j.state")
      .getRawMany<{ state: JobState; n: unknown }>();
    for (const r of rows) counts[r.state] = count(r.n);
    return counts;
  }

  async list(limit: number): Promise<JobSummary[]> {
    const rows = await this.jobs.createQueryBuilder("j").innerJoin("j.video", "v").addSelect(["v.id", "v.fileName"])
      .where(`j.state IN ('running', 'queued') OR (j.state = 'failed' AND ${LATEST_OF_VIDEO("j")})`)
      .orderBy("CASE j.state WHEN 'running' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END").addOrderBy("CASE WHEN j.state = 'failed' THEN -j.id ELSE j.id END")
      .limit(limit).getMany();
    return rows.map((r) => ({ ...toJob(r), fileName: r.video.fileName }));
  }

  async position(id: number): Promise<number> {
    return this.jobs.createQueryBuilder("j").where("j.state = 'queued' AND j.id <= :id", { id }).getCount();
  }

  async source(videoId: number): Promise<PlacedSource | null> {
    const row = await this.dataSource.getRepository(Video).findOne({ select: SOURCE_FIELDS, where: { id: videoId } });
    return row === null ? null : toSource(row);
  }

  async sources(videoIds: readonly number[]): Promise<SourceVideo[]> {
    const found = new Map<number, SourceVideo>();
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const rows = await this.dataSource.getRepository(Video).find({ select: SOURCE_FIELDS, where: { id: In(videoIds.slice(i, i + BATCH)) } });
      for (const row of rows) found.set(row.id, toSource(row));
    }
    return videoIds.flatMap((id) => found.get(id) ?? []);
  }

  async autoCandidates(extensions: readonly string[], since: number, limit: number): Promise<number[]> {
    if (extensions.length === 0) return [];
    const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v").select("v.id")
      .where(`v.status = 'indexed' AND v.media_kind = 'video' AND v.extension IN (:...extensions) AND v.created_at >= :since
        AND NOT EXISTS (SELECT 1 FROM conversion_job j WHERE j.video_id = v.id)
        AND NOT EXISTS (SELECT 1 FROM video d WHERE d.derived_from_id = v.id)
        AND NOT EXISTS (SELECT 1 FROM video m WHERE m.root = v.root AND m.extension = '.mp4' AND m.status != 'missing'
          AND LOWER(m.relative_path) = LOWER(SUBSTR(v.relative_path, 1, LENGTH(v.relative_path) - LENGTH(v.extension)) || '.mp4'))`, { extensions, since })
      .orderBy("v.id").limit(limit).getMany();
    return rows.map((r) => r.id);
  }

  async adoptOutput(sourceId: number, outputId: number, now: number): Promise<void> {
    await inTransaction(this.dataSource, async (m) => { await inheritTagsAndCategory(m, sourceId, outputId, now, { derivedFromId: sourceId }); });
  }

  async derivedOf(videoId: number): Promise<{ id: number; fileName: string } | null> {
    const row = await this.dataSource.getRepository(Video).findOne({ select: { id: true, fileName: true }, where: { derivedFromId: videoId, status: "indexed" }, order: { id: "DESC" } });
    return row === null ? null : { id: row.id, fileName: row.fileName };
  }
}
