import type { DataSource, EntityManager } from "typeorm";
import { Publication as PublicationRow_ } from "../../entities/publication.js";
import { UploadJob as UploadJobRow } from "../../entities/upload-job.js";
import { Video } from "../../entities/video.js";
import { actorId, actorRefOf, type ActorRef } from "../../services/actor.js";
import type {
  Publication, PublishFacts, QueueCounts, SentRecord, UploadJob, UploadOrigin, UploadState, UploadStore, UploadSummary,
} from "../../services/publish/upload-job.js";
import { inTransaction } from "./transaction.js";

interface JobRow {
  id: number; video_id: number; state: UploadState; seq: number; force: number; origin: UploadOrigin; actor_kind: string; actor_id: string;
  attempts: number | null; not_before: number | null; replaces_publication_id: number | null; channel_id: number | null; chat_id: number | null;
  send_video_id: number | null; message_id: number | null; reason: string | null; created_at: number; finished_at: number | null;
  review_chat_id: number | null; review_message_id: number | null; review_file_id: string | null; decided_by: string | null;
  started_at: number | null; uncertain_at: number | null; settle_at: number | null;
  file_name?: string; channel_title?: string | null;
}
interface PublicationRow {
  id: number; video_id: number; sent_video_id: number; channel_id: number; chat_id: number; channel_title: string; channel_username: string | null;
  message_id: number | null; file_id: string | null; caption: string; sent_at: number;
}
interface FactsRow {
  id: number; path: string; file_name: string; extension: string; status: PublishFacts["status"]; container: string | null; video_codec: string | null;
  pixel_format: string | null; audio_codec: string | null; duration_s: number | null; width: number | null; height: number | null; size_bytes: number;
  mtime_ms: number; derived_from_id: number | null; category_id: number | null; review_first: number | null; category_name: string | null; category_audience: string | null;
  channel_id: number | null; chat_id: number | null; channel_title: string | null; channel_username: string | null; channel_audience: string | null; tags: string;
  media_kind: PublishFacts["mediaKind"];
}

const toJob = (r: JobRow): UploadJob => ({
  id: r.id, videoId: r.video_id, state: r.state, seq: r.seq, force: r.force === 1, origin: r.origin, actor: actorRefOf(r.actor_kind, r.actor_id),
  attempts: r.attempts ?? 0, notBefore: r.not_before ?? 0, replacesPublicationId: r.replaces_publication_id, channelId: r.channel_id, chatId: r.chat_id,
  sendVideoId: r.send_video_id, messageId: r.message_id, reason: r.reason, createdAt: r.created_at, finishedAt: r.finished_at,
  draft: r.review_chat_id === null || r.review_message_id === null ? null : { chatId: r.review_chat_id, messageId: r.review_message_id, fileId: r.review_file_id },
  decidedBy: r.decided_by, startedAt: r.started_at, uncertainAt: r.uncertain_at, settleAt: r.settle_at,
});
const toPublication = (r: PublicationRow): Publication => ({
  id: r.id, videoId: r.video_id, sentVideoId: r.sent_video_id, channelId: r.channel_id, chatId: r.chat_id, channelTitle: r.channel_title,
  channelUsername: r.channel_username, messageId: r.message_id, fileId: r.file_id, caption: r.caption, sentAt: r.sent_at,
});
const list = (n: number): string => Array.from({ length: n }, () => "?").join(", ");
/** The channel a video's category maps to now: the destination is never stored, always derived. */
const ROUTE_JOIN = `LEFT JOIN category_channel m ON m.category_id = v.category_id LEFT JOIN channel c ON c.id = m.channel_id`;
const ACTIVE = `('queued', 'converting', 'uploading', 'uncertain', 'review')`;

/** An item with its engine job's attempt and, while that job waits to be tried again, when it is due. */
const ITEM = `SELECT u.*, e.attempts AS attempts, CASE WHEN e.state = 'queued' THEN e.run_at ELSE 0 END AS not_before
  FROM upload_job u LEFT JOIN job e ON e.id = u.job_id`;

/** The upload queue's history and status, and the posts, through TypeORM (its query builder where it can, SQL with parameters for the joins). */
export class TypeormUploadStore implements UploadStore {
  constructor(private readonly dataSource: DataSource) {}

  private get m(): EntityManager {
    return this.dataSource.manager;
  }

  private update() {
    return this.dataSource.createQueryBuilder().update(UploadJobRow);
  }

  async enqueue(requests: readonly { videoId: number; origin: UploadOrigin; actor: ActorRef; force: boolean; replacesPublicationId?: number | null }[], now: number): Promise<Map<number, { id: number; seq: number } | null>> {
    const result = new Map<number, { id: number; seq: number } | null>();
    if (requests.length === 0) return result;
    await inTransaction(this.dataSource, async (m) => {
      for (const r of requests) {
        const [next] = await m.query<{ seq: number }[]>(`SELECT coalesce(max(seq), 0) + 1 AS seq FROM upload_job`);
        const seq = next?.seq ?? 1;
        // One active item per video (the partial unique index guards it too); the video may be gone.
        const [taken] = await m.query<{ n: number }[]>(`SELECT (SELECT count(*) FROM video WHERE id = ?) = 0
          OR EXISTS (SELECT 1 FROM upload_job WHERE video_id = ? AND state IN ${ACTIVE}) AS n`, [r.videoId, r.videoId]);
        if (taken === undefined || Boolean(taken.n)) {
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
    const [row] = await this.m.query<JobRow[]>(`${ITEM} WHERE u.id = ?`, [id]);
    return row === undefined ? null : toJob(row);
  }

  async facts(videoId: number): Promise<PublishFacts | null> {
    const [r] = await this.m.query<FactsRow[]>(`SELECT v.id, v.path, v.file_name, v.extension, v.status, v.media_kind, v.container, v.video_codec, v.pixel_format, v.audio_codec,
        v.duration_s, v.width, v.height, v.size_bytes, v.mtime_ms, v.derived_from_id,
        g.id AS category_id, g.name AS category_name, g.audience AS category_audience, g.review_first,
        c.id AS channel_id, c.chat_id, c.title AS channel_title, c.username AS channel_username, c.audience AS channel_audience
      FROM video v LEFT JOIN category g ON g.id = v.category_id ${ROUTE_JOIN} WHERE v.id = ?`, [videoId]);
    if (r === undefined) return null;
    const tags = await this.m.query<{ name: string }[]>(`SELECT t.name FROM video_tag vt JOIN tag t ON t.id = vt.tag_id WHERE vt.video_id = ? ORDER BY t.key`, [videoId]);
    return {
      id: r.id, path: r.path, fileName: r.file_name, extension: r.extension, status: r.status, mediaKind: r.media_kind, container: r.container, videoCodec: r.video_codec,
      pixelFormat: r.pixel_format, audioCodec: r.audio_codec, durationS: r.duration_s, width: r.width, height: r.height, sizeBytes: r.size_bytes,
      mtimeMs: r.mtime_ms, derivedFromId: r.derived_from_id, tags: tags.map((t) => t.name), reviewFirst: Boolean(r.review_first),
      category: r.category_id === null ? null : { id: r.category_id, name: r.category_name ?? "", audience: r.category_audience ?? "" },
      channel: r.channel_id === null ? null : { id: r.channel_id, chatId: r.chat_id ?? 0, title: r.channel_title ?? "", username: r.channel_username, audience: r.channel_audience ?? "" },
    };
  }

  async family(videoId: number): Promise<number[]> {
    const rows = await this.m.query<{ id: number }[]>(`SELECT id FROM video WHERE id = ? OR id = (SELECT derived_from_id FROM video WHERE id = ?) OR derived_from_id = ?`, [videoId, videoId, videoId]);
    return rows.map((r) => r.id);
  }

  async livePublications(videoIds: readonly number[]): Promise<Publication[]> {
    if (videoIds.length === 0) return [];
    const ids = list(videoIds.length);
    return (await this.m.query<PublicationRow[]>(`SELECT * FROM publication WHERE deleted_at IS NULL AND (video_id IN (${ids}) OR sent_video_id IN (${ids})) ORDER BY id`,
      [...videoIds, ...videoIds])).map(toPublication);
  }

  async publication(id: number): Promise<Publication | null> {
    const [row] = await this.m.query<PublicationRow[]>(`SELECT * FROM publication WHERE id = ?`, [id]);
    return row === undefined ? null : toPublication(row);
  }

  async allLivePublications(limit: number): Promise<Publication[]> {
    return (await this.m.query<PublicationRow[]>(`SELECT * FROM publication WHERE deleted_at IS NULL AND message_id IS NOT NULL ORDER BY id DESC LIMIT ?`, [limit])).map(toPublication);
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
    return inTransaction(this.dataSource, async (m) => {
      const [row] = await m.query<{ state: UploadState }[]>(`SELECT state FROM upload_job WHERE id = ?`, [id]);
      return row?.state === "uncertain" ? this.sent(m, id, sent, actor, now) : null;
    });
  }

  async requeueUncertain(id: number, reason: string, now: number): Promise<boolean> {
    const result = await this.update().set({ state: "queued", reason, settleAt: null, updatedAt: now }).where(`id = :id AND state = 'uncertain'`, { id }).execute();
    return result.affected === 1;
  }

  async postsInChat(chatId: number): Promise<{ messageId: number; sentAt: number }[]> {
    const rows = await this.m.query<{ message_id: number; sent_at: number }[]>(`SELECT message_id, sent_at FROM publication WHERE chat_id = ? AND message_id IS NOT NULL ORDER BY message_id`, [chatId]);
    return rows.map((r) => ({ messageId: r.message_id, sentAt: r.sent_at }));
  }

  async settlesPlanned(): Promise<UploadJob[]> {
    return (await this.m.query<JobRow[]>(`${ITEM} WHERE u.state = 'uncertain' AND u.settle_at IS NOT NULL ORDER BY u.seq`)).map(toJob);
  }

  async setSettleAt(id: number, at: number | null, reason: string, now: number): Promise<void> {
    await this.update().set({ settleAt: at, reason, updatedAt: now }).where(`id = :id AND state = 'uncertain'`, { id }).execute();
  }

  /** The body of recordSent, inside the caller's transaction. */
  private async sent(m: EntityManager, id: number, sent: SentRecord, actor: string, now: number): Promise<Publication> {
    await m.createQueryBuilder().update(UploadJobRow).set({ state: "sent", channelId: sent.channelId, chatId: sent.chatId, sendVideoId: sent.sendVideoId, caption: sent.caption,
      messageId: sent.messageId, fileId: sent.fileId, reason: null, settleAt: null, finishedAt: now, updatedAt: now }).where("id = :id", { id }).execute();
    const [job] = await m.query<{ video_id: number }[]>(`SELECT video_id FROM upload_job WHERE id = ?`, [id]);
    if (sent.fileId !== null) await m.update(Video, { id: sent.sendVideoId }, { telegramFileId: sent.fileId });
    const inserted = await m.createQueryBuilder().insert().into(PublicationRow_).values({
      videoId: job?.video_id ?? 0, sentVideoId: sent.sendVideoId, channelId: sent.channelId, chatId: sent.chatId, channelTitle: sent.channelTitle,
      channelUsername: sent.channelUsername, messageId: sent.messageId, fileId: sent.fileId, caption: sent.caption, jobId: id, actorId: actor, sentAt: now,
      reviewChatId: sent.draft?.chatId ?? null, reviewMessageId: sent.draft?.messageId ?? null,
    }).execute();
    const [row] = await m.query<PublicationRow[]>(`SELECT * FROM publication WHERE id = ?`, [inserted.identifiers[0]?.id]);
    return toPublication(row!);
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
      const [row] = await m.query<{ state: UploadState }[]>(`SELECT state FROM upload_job WHERE id = ?`, [id]);
      if (row === undefined) return null;
      if (row.state === "queued" || row.state === "converting" || row.state === "uncertain") {
        await m.createQueryBuilder().update(UploadJobRow).set({ state: "cancelled", reason: "cancelled", finishedAt: now, updatedAt: now }).where("id = :id", { id }).execute();
      }
      return row.state;
    });
  }

  async toFront(id: number): Promise<number | null> {
    return inTransaction(this.dataSource, async (m) => {
      const [first] = await m.query<{ seq: number | null }[]>(`SELECT min(seq) AS seq FROM upload_job WHERE state IN ('queued', 'converting')`);
      const seq = (first?.seq ?? 1) - 1;
      const moved = await m.createQueryBuilder().update(UploadJobRow).set({ seq }).where(`id = :id AND state IN ('queued', 'converting')`, { id }).execute();
      return moved.affected === 1 ? seq : null;
    });
  }

  async retryFailed(now: number): Promise<UploadJob[]> {
    const ids = (await this.m.query<{ id: number }[]>(`SELECT id FROM upload_job u WHERE state = 'failed' AND id IN (SELECT max(id) FROM upload_job GROUP BY video_id)
        AND NOT EXISTS (SELECT 1 FROM upload_job a WHERE a.video_id = u.video_id AND a.state IN ${ACTIVE}) ORDER BY seq`)).map((r) => r.id);
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
    const count = (condition: string): string => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    const [r] = await this.m.query<Record<keyof QueueCounts, number | null>[]>(`SELECT
        ${count(`u.state = 'queued' AND NOT (e.state IS NOT NULL AND e.state = 'queued' AND e.run_at > ?)`)} AS queued, ${count(`u.state = 'converting'`)} AS converting,
        ${count(`u.state = 'uploading'`)} AS uploading, ${count(`u.state = 'queued' AND e.state = 'queued' AND e.run_at > ?`)} AS retrying,
        ${count(`u.state = 'uncertain'`)} AS uncertain, ${count(`u.state = 'failed' AND u.id IN (SELECT max(id) FROM upload_job GROUP BY video_id)`)} AS failed,
        ${count(`u.state = 'sent' AND u.finished_at >= ?`)} AS sentToday, ${count(`u.state = 'review'`)} AS review
      FROM upload_job u LEFT JOIN job e ON e.id = u.job_id
      WHERE u.state IN ${ACTIVE} OR u.state = 'failed' OR (u.state = 'sent' AND u.finished_at >= ?)`, [now, now, dayStart, dayStart]);
    return {
      queued: Number(r?.queued ?? 0), converting: Number(r?.converting ?? 0), uploading: Number(r?.uploading ?? 0), retrying: Number(r?.retrying ?? 0),
      failed: Number(r?.failed ?? 0), uncertain: Number(r?.uncertain ?? 0), sentToday: Number(r?.sentToday ?? 0), review: Number(r?.review ?? 0),
    };
  }

  async list(limit: number): Promise<UploadSummary[]> {
    const rows = await this.m.query<JobRow[]>(`SELECT * FROM (
        SELECT u.*, e.attempts AS attempts, CASE WHEN e.state = 'queued' THEN e.run_at ELSE 0 END AS not_before, v.file_name, c.title AS channel_title,
          CASE u.state WHEN 'uploading' THEN 0 WHEN 'uncertain' THEN 1 WHEN 'review' THEN 1 WHEN 'queued' THEN 2 WHEN 'converting' THEN 2 ELSE 3 END AS grp
        FROM upload_job u LEFT JOIN job e ON e.id = u.job_id JOIN video v ON v.id = u.video_id ${ROUTE_JOIN}
        WHERE u.state IN ${ACTIVE} OR (u.state = 'failed' AND u.id IN (SELECT max(id) FROM upload_job GROUP BY video_id))) AS items
      ORDER BY grp, CASE WHEN grp = 3 THEN -id ELSE seq END LIMIT ?`, [limit]);
    return rows.map((r) => ({ ...toJob(r), fileName: r.file_name ?? "", channelTitle: r.channel_title ?? null }));
  }

  async position(id: number): Promise<number> {
    const [row] = await this.m.query<{ n: number }[]>(`SELECT count(*) AS n FROM upload_job WHERE state IN ('queued', 'converting') AND seq <= (SELECT seq FROM upload_job WHERE id = ?)`, [id]);
    return row?.n ?? 0;
  }

  async latestFor(videoIds: readonly number[]): Promise<Map<number, UploadJob>> {
    if (videoIds.length === 0) return new Map();
    const rows = await this.m.query<JobRow[]>(`${ITEM} WHERE u.id IN (SELECT max(id) FROM upload_job WHERE video_id IN (${list(videoIds.length)}) GROUP BY video_id)`, [...videoIds]);
    return new Map(rows.map((r) => [r.video_id, toJob(r)]));
  }

  async jobsIn(state: UploadState): Promise<UploadJob[]> {
    return (await this.m.query<JobRow[]>(`${ITEM} WHERE u.state = ? ORDER BY u.seq`, [state])).map(toJob);
  }

  async markPublicationDeleted(id: number, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().update(PublicationRow_).set({ deletedAt: now }).where("id = :id", { id }).execute();
  }

  async setPublicationCaption(id: number, caption: string, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().update(PublicationRow_).set({ caption, captionUpdatedAt: now }).where("id = :id", { id }).execute();
  }
}
