import type { DataSource, EntityManager, SelectQueryBuilder } from "typeorm";
import { Category } from "../../../entities/category.js";
import { CategoryChannel } from "../../../entities/category-channel.js";
import { Channel } from "../../../entities/channel.js";
import { Job } from "../../../entities/job.js";
import { Publication as PublicationRow } from "../../../entities/publication.js";
import { Tag } from "../../../entities/tag.js";
import { UploadJob as UploadJobRow } from "../../../entities/upload-job.js";
import { Video } from "../../../entities/video.js";
import { actorId, actorRefOf, type ActorRef } from "../../../services/people/actor.js";
import type {
  Publication, PublishFacts, QueueCounts, SentRecord, UploadJob, UploadOrigin, UploadState, UploadStore, UploadSummary,
} from "../../../services/publish/upload-job.js";
import { count } from "./db-errors.js";
import { inTransaction } from "./transaction.js";

interface JobRow {
  id: number; video_id: number; state: UploadState; seq: number; force: number; origin: UploadOrigin; actor_kind: string; actor_id: string;
  attempts: number | null; not_before: number | null; replaces_publication_id: number | null; channel_id: number | null; chat_id: number | null;
  send_video_id: number | null; message_id: number | null; reason: string | null; created_at: number; finished_at: number | null;
  review_chat_id: number | null; review_message_id: number | null; review_file_id: string | null; decided_by: string | null;
  started_at: number | null; uncertain_at: number | null; settle_at: number | null;
  file_name?: string; channel_title?: string | null;
}
interface FactsRow {
  id: number; path: string; file_name: string; extension: string; status: PublishFacts["status"]; container: string | null; video_codec: string | null;
  pixel_format: string | null; audio_codec: string | null; duration_s: number | null; width: number | null; height: number | null; size_bytes: number;
  mtime_ms: number; derived_from_id: number | null; category_id: number | null; review_first: number | boolean | null; category_name: string | null; category_audience: string | null;
  channel_id: number | null; chat_id: number | null; channel_title: string | null; channel_username: string | null; channel_audience: string | null;
  media_kind: PublishFacts["mediaKind"];
}

const toJob = (r: JobRow): UploadJob => ({
  id: r.id, videoId: r.video_id, state: r.state, seq: r.seq, force: r.force === 1, origin: r.origin, actor: actorRefOf(r.actor_kind, r.actor_id),
  attempts: r.attempts ?? 0, notBefore: r.not_before ?? 0, replacesPublicationId: r.replaces_publication_id, channelId: r.channel_id, chatId: r.chat_id,
  sendVideoId: r.send_video_id, messageId: r.message_id, reason: r.reason, createdAt: r.created_at, finishedAt: r.finished_at,
  draft: r.review_chat_id === null || r.review_message_id === null ? null : { chatId: r.review_chat_id, messageId: r.review_message_id, fileId: r.review_file_id },
  decidedBy: r.decided_by, startedAt: r.started_at, uncertainAt: r.uncertain_at, settleAt: r.settle_at,
});
const toPublication = (p: PublicationRow): Publication => ({
  id: p.id, videoId: p.videoId, sentVideoId: p.sentVideoId, channelId: p.channelId, chatId: p.chatId, channelTitle: p.channelTitle,
  channelUsername: p.channelUsername, messageId: p.messageId, fileId: p.fileId, caption: p.caption, sentAt: p.sentAt,
});
const BATCH = 400;
// Literal, as in the partial index IDX_upload_job_active, so SQLite can use it.
const ACTIVE = `('queued', 'converting', 'uploading', 'uncertain', 'review')`;
/** The newest item of each video (its latest try): only that one of a video's failures is listed, counted and retried. */
const LATEST_OF_EACH_VIDEO = `(SELECT max(l.id) FROM upload_job l GROUP BY l.video_id)`;
/** An item's own columns, read under their column names (toJob's). */
const ITEM_COLUMNS = [
  "id", "video_id", "state", "seq", "force", "origin", "actor_kind", "actor_id", "replaces_publication_id", "channel_id", "chat_id", "send_video_id",
  "message_id", "reason", "created_at", "finished_at", "review_chat_id", "review_message_id", "review_file_id", "decided_by", "started_at", "uncertain_at", "settle_at",
] as const;
/** /queue's groups: sending now, waiting for a person, in line, then the latest failures (newest first). */
const LIST_GROUP = `CASE u.state WHEN 'uploading' THEN 0 WHEN 'uncertain' THEN 1 WHEN 'review' THEN 1 WHEN 'queued' THEN 2 WHEN 'converting' THEN 2 ELSE 3 END`;

/** The channel a video's category maps to now: the destination is never stored, always derived. */
function withRoute<T extends object>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return query.leftJoin(CategoryChannel, "m", "m.category_id = v.category_id").leftJoin(Channel, "c", "c.id = m.channel_id");
}

/** The upload queue's history and status, and the posts, through TypeORM repositories and its query builder. */
export class TypeormUploadStore implements UploadStore {
  constructor(private readonly dataSource: DataSource) {}

  private get m(): EntityManager {
    return this.dataSource.manager;
  }

  private update() {
    return this.dataSource.createQueryBuilder().update(UploadJobRow);
  }

  /** Items with their engine job's attempt and, while that job waits to be tried again, when it is due. */
  private items(m: EntityManager = this.m): SelectQueryBuilder<UploadJobRow> {
    const query = m.createQueryBuilder(UploadJobRow, "u").leftJoin(Job, "e", "e.id = u.job_id").select("u.id", "id");
    for (const column of ITEM_COLUMNS.slice(1)) query.addSelect(`u.${column}`, column);
    return query.addSelect("e.attempts", "attempts").addSelect("CASE WHEN e.state = 'queued' THEN e.run_at ELSE 0 END", "not_before");
  }

  /** An item's state, or null when there is no such item. */
  private async stateOf(m: EntityManager, id: number): Promise<UploadState | null> {
    const row = await m.findOne(UploadJobRow, { select: { id: true, state: true }, where: { id } });
    return row?.state ?? null;
  }

  async enqueue(requests: readonly { videoId: number; origin: UploadOrigin; actor: ActorRef; force: boolean; replacesPublicationId?: number | null }[], now: number): Promise<Map<number, { id: number; seq: number } | null>> {
    const result = new Map<number, { id: number; seq: number } | null>();
    if (requests.length === 0) return result;
    await inTransaction(this.dataSource, async (m) => {
      for (const r of requests) {
        const next = await m.createQueryBuilder(UploadJobRow, "u").select("coalesce(max(u.seq), 0) + 1", "seq").getRawOne<{ seq: unknown }>();
        const seq = next === undefined ? 1 : Number(next.seq);
        // One active item per video (the partial unique index guards it too); the video may be gone.
        const taken = !(await m.existsBy(Video, { id: r.videoId }))
          || await m.createQueryBuilder(UploadJobRow, "u").where(`u.video_id = :videoId AND u.state IN ${ACTIVE}`, { videoId: r.videoId }).getExists();
        if (taken) {
          result.set(r.videoId, null);
          continue;
        }
        const inserted = await m.createQueryBuilder().insert().into(UploadJobRow).values({
          videoId: r.videoId, state: "queued", seq, force: r.force ? 1 : 0, origin: r.origin, actorKind: r.actor.kind, actorId: actorId(r.actor),
          replacesPublicationId: r.replacesPublicationId ?? null, createdAt: now, updatedAt: now,
        }).execute();
        result.set(r.videoId, { id: inserted.identifiers[0]?.id as number, seq });
      }
    });
    return result;
  }

  async setEngineJob(id: number, jobId: number): Promise<void> {
    await this.update().set({ jobId }).where("id = :id", { id }).execute();
  }

  async job(id: number): Promise<UploadJob | null> {
    const row = await this.items().where("u.id = :id", { id }).getRawOne<JobRow>();
    return row === undefined ? null : toJob(row);
  }

  async facts(videoId: number): Promise<PublishFacts | null> {
    const r = await withRoute(this.m.createQueryBuilder(Video, "v").leftJoin(Category, "g", "g.id = v.category_id"))
      .select("v.id", "id").addSelect("v.path", "path").addSelect("v.file_name", "file_name").addSelect("v.extension", "extension").addSelect("v.status", "status")
      .addSelect("v.media_kind", "media_kind").addSelect("v.container", "container").addSelect("v.video_codec", "video_codec").addSelect("v.pixel_format", "pixel_format")
      .addSelect("v.audio_codec", "audio_codec").addSelect("v.duration_s", "duration_s").addSelect("v.width", "width").addSelect("v.height", "height")
      .addSelect("v.size_bytes", "size_bytes").addSelect("v.mtime_ms", "mtime_ms").addSelect("v.derived_from_id", "derived_from_id")
      .addSelect("g.id", "category_id").addSelect("g.name", "category_name").addSelect("g.audience", "category_audience").addSelect("g.review_first", "review_first")
      .addSelect("c.id", "channel_id").addSelect("c.chat_id", "chat_id").addSelect("c.title", "channel_title").addSelect("c.username", "channel_username")
      .addSelect("c.audience", "channel_audience")
      .where("v.id = :videoId", { videoId }).getRawOne<FactsRow>();
    if (r === undefined) return null;
    const tags = await this.m.createQueryBuilder().from("video_tag", "vt").innerJoin(Tag, "t", "t.id = vt.tag_id").select("t.name", "name")
      .where("vt.video_id = :videoId", { videoId }).orderBy("t.key").getRawMany<{ name: string }>();
    return {
      id: r.id, path: r.path, fileName: r.file_name, extension: r.extension, status: r.status, mediaKind: r.media_kind, container: r.container, videoCodec: r.video_codec,
      pixelFormat: r.pixel_format, audioCodec: r.audio_codec, durationS: r.duration_s, width: r.width, height: r.height, sizeBytes: r.size_bytes,
      mtimeMs: r.mtime_ms, derivedFromId: r.derived_from_id, tags: tags.map((t) => t.name), reviewFirst: Boolean(r.review_first),
      category: r.category_id === null ? null : { id: r.category_id, name: r.category_name ?? "", audience: r.category_audience ?? "" },
      channel: r.channel_id === null ? null : { id: r.channel_id, chatId: r.chat_id ?? 0, title: r.channel_title ?? "", username: r.channel_username, audience: r.channel_audience ?? "" },
    };
  }

  async family(videoId: number): Promise<number[]> {
    const rows = await this.m.createQueryBuilder(Video, "v").select("v.id", "id")
      .where("v.id = :videoId OR v.id = (SELECT f.derived_from_id FROM video f WHERE f.id = :videoId) OR v.derived_from_id = :videoId", { videoId })
      .getRawMany<{ id: unknown }>();
    return rows.map((r) => Number(r.id));
  }

  async livePublications(videoIds: readonly number[]): Promise<Publication[]> {
    if (videoIds.length === 0) return [];
    const ids = [...videoIds];
    const rows = await this.m.createQueryBuilder(PublicationRow, "p").where("p.deleted_at IS NULL AND (p.video_id IN (:...ids) OR p.sent_video_id IN (:...ids))", { ids })
      .orderBy("p.id").getMany();
    return rows.map(toPublication);
  }

  async publication(id: number): Promise<Publication | null> {
    const row = await this.m.findOneBy(PublicationRow, { id });
    return row === null ? null : toPublication(row);
  }

  async allLivePublications(limit: number): Promise<Publication[]> {
    const rows = await this.m.createQueryBuilder(PublicationRow, "p").where("p.deleted_at IS NULL AND p.message_id IS NOT NULL").orderBy("p.id", "DESC")
      .limit(limit).getMany();
    return rows.map(toPublication);
  }

  async setState(id: number, state: "converting" | "queued", reason: string | null, now: number): Promise<boolean> {
    const result = await this.update().set({ state, reason, updatedAt: now }).where(`id = :id AND state IN ('queued', 'converting')`, { id }).execute();
    return result.affected === 1;
  }

  async markUploading(id: number, channel: { readonly id: number; readonly chatId: number }, now: number): Promise<boolean> {
    const result = await this.update().set({ state: "uploading", channelId: channel.id, chatId: channel.chatId, startedAt: now, updatedAt: now })
      .where(`id = :id AND state = 'queued'`, { id }).execute();
    return result.affected === 1;
  }

  async recordSent(id: number, sent: SentRecord, actor: string, now: number): Promise<Publication> {
    return inTransaction(this.dataSource, (m) => this.sent(m, id, sent, actor, now));
  }

  async recordSettled(id: number, sent: SentRecord, actor: string, now: number): Promise<Publication | null> {
    return inTransaction(this.dataSource, async (m) => (await this.stateOf(m, id) === "uncertain" ? this.sent(m, id, sent, actor, now) : null));
  }

  async requeueUncertain(id: number, reason: string, now: number): Promise<boolean> {
    const result = await this.update().set({ state: "queued", reason, settleAt: null, updatedAt: now }).where(`id = :id AND state = 'uncertain'`, { id }).execute();
    return result.affected === 1;
  }

  async postsInChat(chatId: number): Promise<{ messageId: number; sentAt: number }[]> {
    const rows = await this.m.createQueryBuilder(PublicationRow, "p").select("p.message_id", "messageId").addSelect("p.sent_at", "sentAt")
      .where("p.chat_id = :chatId AND p.message_id IS NOT NULL", { chatId }).orderBy("p.message_id").getRawMany<{ messageId: number; sentAt: number }>();
    return rows.map((r) => ({ messageId: r.messageId, sentAt: r.sentAt }));
  }

  async settlesPlanned(): Promise<UploadJob[]> {
    return (await this.items().where("u.state = 'uncertain' AND u.settle_at IS NOT NULL").orderBy("u.seq").getRawMany<JobRow>()).map(toJob);
  }

  async setSettleAt(id: number, at: number | null, reason: string, now: number): Promise<void> {
    await this.update().set({ settleAt: at, reason, updatedAt: now }).where(`id = :id AND state = 'uncertain'`, { id }).execute();
  }

  /** The body of recordSent, inside the caller's transaction. */
  private async sent(m: EntityManager, id: number, sent: SentRecord, actor: string, now: number): Promise<Publication> {
    await m.createQueryBuilder().update(UploadJobRow).set({ state: "sent", channelId: sent.channelId, chatId: sent.chatId, sendVideoId: sent.sendVideoId, caption: sent.caption,
      messageId: sent.messageId, fileId: sent.fileId, reason: null, settleAt: null, finishedAt: now, updatedAt: now }).where("id = :id", { id }).execute();
    const job = await m.findOne(UploadJobRow, { select: { id: true, videoId: true }, where: { id } });
    if (sent.fileId !== null) await m.update(Video, { id: sent.sendVideoId }, { telegramFileId: sent.fileId });
    const inserted = await m.createQueryBuilder().insert().into(PublicationRow).values({
      videoId: job?.videoId ?? 0, sentVideoId: sent.sendVideoId, channelId: sent.channelId, chatId: sent.chatId, channelTitle: sent.channelTitle,
      channelUsername: sent.channelUsername, messageId: sent.messageId, fileId: sent.fileId, caption: sent.caption, jobId: id, actorId: actor, sentAt: now,
      reviewChatId: sent.draft?.chatId ?? null, reviewMessageId: sent.draft?.messageId ?? null,
    }).execute();
    return toPublication(await m.findOneByOrFail(PublicationRow, { id: inserted.identifiers[0]?.id as number }));
  }

  async recordDraft(id: number, draft: { chatId: number; messageId: number; fileId: string | null }, sendVideoId: number, caption: string, now: number): Promise<void> {
    await this.update().set({ state: "review", reviewChatId: draft.chatId, reviewMessageId: draft.messageId, reviewFileId: draft.fileId, sendVideoId, caption, reason: null, updatedAt: now })
      .where(`id = :id AND state = 'uploading'`, { id }).execute();
  }

  async decide(id: number, decision: "approve" | "reject", actor: string, reason: string | null, now: number): Promise<boolean> {
    const result = await this.update().set({ state: decision === "approve" ? "queued" : "rejected", decidedBy: actor, decidedAt: now, reason,
      finishedAt: decision === "reject" ? now : null, updatedAt: now }).where(`id = :id AND state = 'review'`, { id }).execute();
    return result.affected === 1;
  }

  async requeue(id: number, reason: string, now: number): Promise<boolean> {
    const result = await this.update().set({ state: "queued", reason, settleAt: null, updatedAt: now })
      .where(`id = :id AND state IN ('uploading', 'queued', 'uncertain')`, { id }).execute();
    return result.affected === 1;
  }

  async finish(id: number, state: "failed" | "skipped" | "cancelled" | "uncertain", reason: string, now: number): Promise<void> {
    const uncertain = state === "uncertain";
    await this.update().set({ state, reason, finishedAt: uncertain ? null : now, uncertainAt: uncertain ? now : null, settleAt: uncertain ? now : null, updatedAt: now })
      .where("id = :id", { id }).execute();
  }

  async markInterrupted(id: number, now: number): Promise<boolean> {
    const result = await this.update().set({ state: "uncertain", reason: "may have been sent — check the channel", uncertainAt: now, settleAt: now, updatedAt: now })
      .where(`id = :id AND state = 'uploading'`, { id }).execute();
    return result.affected === 1;
  }

  async cancel(id: number, now: number): Promise<UploadState | null> {
    return inTransaction(this.dataSource, async (m) => {
      const state = await this.stateOf(m, id);
      if (state === "queued" || state === "converting" || state === "uncertain") {
        await m.createQueryBuilder().update(UploadJobRow).set({ state: "cancelled", reason: "cancelled", finishedAt: now, updatedAt: now }).where("id = :id", { id }).execute();
      }
      return state;
    });
  }

  async toFront(id: number): Promise<number | null> {
    return inTransaction(this.dataSource, async (m) => {
      const first = await m.createQueryBuilder(UploadJobRow, "u").select("min(u.seq)", "seq").where("u.state IN ('queued', 'converting')").getRawOne<{ seq: unknown }>();
      const seq = (first?.seq === null || first?.seq === undefined ? 1 : Number(first.seq)) - 1;
      const moved = await m.createQueryBuilder().update(UploadJobRow).set({ seq }).where(`id = :id AND state IN ('queued', 'converting')`, { id }).execute();
      return moved.affected === 1 ? seq : null;
    });
  }

  async retryFailed(now: number): Promise<UploadJob[]> {
    const ids = (await this.m.createQueryBuilder(UploadJobRow, "u").select("u.id", "id")
      .where(`u.state = 'failed' AND u.id IN ${LATEST_OF_EACH_VIDEO}`)
      .andWhere(`NOT EXISTS (SELECT 1 FROM upload_job a WHERE a.video_id = u.video_id AND a.state IN ${ACTIVE})`)
      .orderBy("u.seq").getRawMany<{ id: unknown }>()).map((r) => Number(r.id));
    const retried: UploadJob[] = [];
    for (const id of ids) {
      const result = await this.update().set({ state: "queued", reason: null, finishedAt: null, updatedAt: now }).where(`id = :id AND state = 'failed'`, { id }).execute();
      const job = result.affected === 1 ? await this.job(id) : null;
      if (job !== null) retried.push(job);
    }
    return retried;
  }

  async counts(dayStart: number, now: number): Promise<QueueCounts> {
    // Counted with CASE, which every database sums (SQLite alone sums a comparison).
    const sum = (condition: string): string => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    const r = await this.m.createQueryBuilder(UploadJobRow, "u").leftJoin(Job, "e", "e.id = u.job_id")
      .select(sum(`u.state = 'queued' AND NOT (e.state IS NOT NULL AND e.state = 'queued' AND e.run_at > :now)`), "queued")
      .addSelect(sum(`u.state = 'converting'`), "converting").addSelect(sum(`u.state = 'uploading'`), "uploading")
      .addSelect(sum(`u.state = 'queued' AND e.state = 'queued' AND e.run_at > :now`), "retrying").addSelect(sum(`u.state = 'uncertain'`), "uncertain")
      .addSelect(sum(`u.state = 'failed' AND u.id IN ${LATEST_OF_EACH_VIDEO}`), "failed")
      .addSelect(sum(`u.state = 'sent' AND u.finished_at >= :dayStart`), "sentToday").addSelect(sum(`u.state = 'review'`), "review")
      .where(`u.state IN ${ACTIVE} OR u.state = 'failed' OR (u.state = 'sent' AND u.finished_at >= :dayStart)`, { now, dayStart })
      .getRawOne<Record<keyof QueueCounts, unknown>>();
    return {
      queued: count(r?.queued), converting: count(r?.converting), uploading: count(r?.uploading), retrying: count(r?.retrying),
      failed: count(r?.failed), uncertain: count(r?.uncertain), sentToday: count(r?.sentToday), review: count(r?.review),
    };
  }

  async list(limit: number): Promise<UploadSummary[]> {
    const rows = await withRoute(this.items().innerJoin(Video, "v", "v.id = u.video_id")).addSelect("v.file_name", "file_name").addSelect("c.title", "channel_title")
      .where(`u.state IN ${ACTIVE} OR (u.state = 'failed' AND u.id IN ${LATEST_OF_EACH_VIDEO})`)
      .orderBy(LIST_GROUP).addOrderBy(`CASE WHEN ${LIST_GROUP} = 3 THEN -u.id ELSE u.seq END`).limit(limit).getRawMany<JobRow>();
    return rows.map((r) => ({ ...toJob(r), fileName: r.file_name ?? "", channelTitle: r.channel_title ?? null }));
  }

  async position(id: number): Promise<number> {
    return this.m.createQueryBuilder(UploadJobRow, "u")
      .where("u.state IN ('queued', 'converting') AND u.seq <= (SELECT s.seq FROM upload_job s WHERE s.id = :id)", { id }).getCount();
  }

  async latestFor(videoIds: readonly number[]): Promise<Map<number, UploadJob>> {
    const found = new Map<number, UploadJob>();
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const rows = await this.items().where("u.id IN (SELECT max(w.id) FROM upload_job w WHERE w.video_id IN (:...videoIds) GROUP BY w.video_id)",
        { videoIds: videoIds.slice(i, i + BATCH) }).getRawMany<JobRow>();
      for (const r of rows) found.set(r.video_id, toJob(r));
    }
    return found;
  }

  async jobsIn(state: UploadState): Promise<UploadJob[]> {
    return (await this.items().where("u.state = :state", { state }).orderBy("u.seq").getRawMany<JobRow>()).map(toJob);
  }

  async markPublicationDeleted(id: number, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().update(PublicationRow).set({ deletedAt: now }).where("id = :id", { id }).execute();
  }

  async setPublicationCaption(id: number, caption: string, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().update(PublicationRow).set({ caption, captionUpdatedAt: now }).where("id = :id", { id }).execute();
  }
}
