/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 statements are synchronous; the methods are async because the service ports are. */
import type { DataSource } from "typeorm";
import { actorId, actorRefOf, type ActorRef } from "../../services/actor.js";
import type {
  Publication, PublishFacts, QueueCounts, SentRecord, UploadJob, UploadOrigin, UploadState, UploadStore, UploadSummary,
} from "../../services/publish/upload-job.js";
import { rawDatabase, type RawDatabase } from "./raw-sqlite.js";

interface JobRow {
  id: number; video_id: number; state: UploadState; seq: number; force: number; origin: UploadOrigin; actor_kind: string; actor_id: string;
  attempts: number; not_before: number; replaces_publication_id: number | null; channel_id: number | null; chat_id: number | null;
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
  attempts: r.attempts, notBefore: r.not_before, replacesPublicationId: r.replaces_publication_id, channelId: r.channel_id, chatId: r.chat_id,
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

/** The upload queue in SQLite (synchronous statements on the shared connection: each call is atomic). */
export class SqliteUploadStore implements UploadStore {
  private readonly db: RawDatabase;

  constructor(dataSource: DataSource) {
    this.db = rawDatabase(dataSource);
  }

  async enqueue(requests: readonly { videoId: number; origin: UploadOrigin; actor: ActorRef; force: boolean; replacesPublicationId?: number | null }[], now: number): Promise<Map<number, number | null>> {
    const nextSeq = this.db.prepare(`SELECT coalesce(max(seq), 0) + 1 FROM upload_job`).pluck();
    const insert = this.db.prepare(`INSERT OR IGNORE INTO upload_job (video_id, state, seq, force, origin, actor_kind, actor_id, replaces_publication_id, created_at, updated_at)
      SELECT ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM video WHERE id = ?)`);
    const lastId = this.db.prepare(`SELECT last_insert_rowid()`).pluck();
    const result = new Map<number, number | null>();
    this.db.transaction(() => {
      for (const r of requests) {
        const { changes } = insert.run(r.videoId, nextSeq.get(), r.force ? 1 : 0, r.origin, r.actor.kind, actorId(r.actor), r.replacesPublicationId ?? null, now, now, r.videoId);
        result.set(r.videoId, changes > 0 ? (lastId.get() as number) : null);
      }
    })();
    return result;
  }

  async job(id: number): Promise<UploadJob | null> {
    const row = this.db.prepare(`SELECT * FROM upload_job WHERE id = ?`).get(id) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async nextDue(now: number, busyChannels: ReadonlySet<number>, excludeJobs: ReadonlySet<number>): Promise<{ job: UploadJob; channelId: number | null } | null> {
    const busy = [...busyChannels];
    const excluded = [...excludeJobs];
    const row = this.db.prepare(`SELECT j.*, c.id AS route_channel FROM upload_job j JOIN video v ON v.id = j.video_id ${ROUTE_JOIN}
      WHERE j.state = 'queued' AND j.not_before <= ?
        ${busy.length > 0 ? `AND (c.id IS NULL OR c.id NOT IN (${list(busy.length)}))` : ""}
        ${excluded.length > 0 ? `AND j.id NOT IN (${list(excluded.length)})` : ""}
      ORDER BY j.seq LIMIT 1`).get(now, ...busy, ...excluded) as (JobRow & { route_channel: number | null }) | undefined;
    return row === undefined ? null : { job: toJob(row), channelId: row.route_channel };
  }

  async facts(videoId: number): Promise<PublishFacts | null> {
    const r = this.db.prepare(`SELECT v.id, v.path, v.file_name, v.extension, v.status, v.media_kind, v.container, v.video_codec, v.pixel_format, v.audio_codec,
        v.duration_s, v.width, v.height, v.size_bytes, v.mtime_ms, v.derived_from_id,
        g.id AS category_id, g.name AS category_name, g.audience AS category_audience, g.review_first,
        c.id AS channel_id, c.chat_id, c.title AS channel_title, c.username AS channel_username, c.audience AS channel_audience,
        (SELECT json_group_array(name) FROM (SELECT t.name FROM video_tag vt JOIN tag t ON t.id = vt.tag_id WHERE vt.video_id = v.id ORDER BY t.key)) AS tags
      FROM video v LEFT JOIN category g ON g.id = v.category_id ${ROUTE_JOIN} WHERE v.id = ?`).get(videoId) as FactsRow | undefined;
    if (r === undefined) return null;
    return {
      id: r.id, path: r.path, fileName: r.file_name, extension: r.extension, status: r.status, mediaKind: r.media_kind, container: r.container, videoCodec: r.video_codec,
      pixelFormat: r.pixel_format, audioCodec: r.audio_codec, durationS: r.duration_s, width: r.width, height: r.height, sizeBytes: r.size_bytes,
      mtimeMs: r.mtime_ms, derivedFromId: r.derived_from_id, tags: JSON.parse(r.tags) as string[], reviewFirst: r.review_first === 1,
      category: r.category_id === null ? null : { id: r.category_id, name: r.category_name ?? "", audience: r.category_audience ?? "" },
      channel: r.channel_id === null ? null : { id: r.channel_id, chatId: r.chat_id ?? 0, title: r.channel_title ?? "", username: r.channel_username, audience: r.channel_audience ?? "" },
    };
  }

  async family(videoId: number): Promise<number[]> {
    return this.db.prepare(`SELECT id FROM video WHERE id = @v OR id = (SELECT derived_from_id FROM video WHERE id = @v) OR derived_from_id = @v`).pluck().all({ v: videoId }) as number[];
  }

  async livePublications(videoIds: readonly number[]): Promise<Publication[]> {
    if (videoIds.length === 0) return [];
    const ids = list(videoIds.length);
    return (this.db.prepare(`SELECT * FROM publication WHERE deleted_at IS NULL AND (video_id IN (${ids}) OR sent_video_id IN (${ids})) ORDER BY id`)
      .all(...videoIds, ...videoIds) as PublicationRow[]).map(toPublication);
  }

  async publication(id: number): Promise<Publication | null> {
    const row = this.db.prepare(`SELECT * FROM publication WHERE id = ?`).get(id) as PublicationRow | undefined;
    return row === undefined ? null : toPublication(row);
  }

  async allLivePublications(limit: number): Promise<Publication[]> {
    return (this.db.prepare(`SELECT * FROM publication WHERE deleted_at IS NULL AND message_id IS NOT NULL ORDER BY id DESC LIMIT ?`).all(limit) as PublicationRow[]).map(toPublication);
  }

  async setState(id: number, state: "converting" | "queued", reason: string | null, now: number): Promise<void> {
    this.db.prepare(`UPDATE upload_job SET state = ?, reason = ?, updated_at = ? WHERE id = ? AND state IN ('queued', 'converting')`).run(state, reason, now, id);
  }

  async markUploading(id: number, channel: { readonly id: number; readonly chatId: number }, now: number): Promise<boolean> {
    return this.db.prepare(`UPDATE upload_job SET state = 'uploading', attempts = attempts + 1, channel_id = ?, chat_id = ?, started_at = ?, updated_at = ?
      WHERE id = ? AND state = 'queued'`).run(channel.id, channel.chatId, now, now, id).changes > 0;
  }

  async recordSent(id: number, sent: SentRecord, actor: string, now: number): Promise<Publication> {
    return this.db.transaction(() => this.sent(id, sent, actor, now))();
  }

  async recordSettled(id: number, sent: SentRecord, actor: string, now: number): Promise<Publication | null> {
    return this.db.transaction(() => {
      const state = this.db.prepare(`SELECT state FROM upload_job WHERE id = ?`).pluck().get(id) as UploadState | undefined;
      return state === "uncertain" ? this.sent(id, sent, actor, now) : null;
    })();
  }

  async requeueUncertain(id: number, reason: string, now: number): Promise<boolean> {
    return this.db.prepare(`UPDATE upload_job SET state = 'queued', not_before = ?, reason = ?, attempts = max(0, attempts - 1), settle_at = NULL, updated_at = ?
      WHERE id = ? AND state = 'uncertain'`).run(now, reason, now, id).changes > 0;
  }

  async postsInChat(chatId: number): Promise<{ messageId: number; sentAt: number }[]> {
    return (this.db.prepare(`SELECT message_id, sent_at FROM publication WHERE chat_id = ? AND message_id IS NOT NULL ORDER BY message_id`).all(chatId) as { message_id: number; sent_at: number }[])
      .map((r) => ({ messageId: r.message_id, sentAt: r.sent_at }));
  }

  async settlesDue(now: number): Promise<UploadJob[]> {
    return (this.db.prepare(`SELECT * FROM upload_job WHERE state = 'uncertain' AND settle_at IS NOT NULL AND settle_at <= ? ORDER BY seq`).all(now) as JobRow[]).map(toJob);
  }

  async setSettleAt(id: number, at: number | null, reason: string, now: number): Promise<void> {
    this.db.prepare(`UPDATE upload_job SET settle_at = ?, reason = ?, updated_at = ? WHERE id = ? AND state = 'uncertain'`).run(at, reason, now, id);
  }

  /** The body of recordSent, inside the caller's transaction. */
  private sent(id: number, sent: SentRecord, actor: string, now: number): Publication {
    this.db.prepare(`UPDATE upload_job SET state = 'sent', channel_id = ?, chat_id = ?, send_video_id = ?, caption = ?, message_id = ?, file_id = ?,
        reason = NULL, finished_at = ?, updated_at = ? WHERE id = ?`)
      .run(sent.channelId, sent.chatId, sent.sendVideoId, sent.caption, sent.messageId, sent.fileId, now, now, id);
    const job = this.db.prepare(`SELECT video_id FROM upload_job WHERE id = ?`).pluck().get(id) as number;
    if (sent.fileId !== null) this.db.prepare(`UPDATE video SET telegram_file_id = ? WHERE id = ?`).run(sent.fileId, sent.sendVideoId);
    const row = this.db.prepare(`INSERT INTO publication (video_id, sent_video_id, channel_id, chat_id, channel_title, channel_username, message_id, file_id, caption, job_id, actor_id, sent_at,
        review_chat_id, review_message_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`)
      .get(job, sent.sendVideoId, sent.channelId, sent.chatId, sent.channelTitle, sent.channelUsername, sent.messageId, sent.fileId, sent.caption, id, actor, now,
        sent.draft?.chatId ?? null, sent.draft?.messageId ?? null) as PublicationRow;
    return toPublication(row);
  }

  async recordDraft(id: number, draft: { chatId: number; messageId: number; fileId: string | null }, sendVideoId: number, caption: string, now: number): Promise<void> {
    this.db.prepare(`UPDATE upload_job SET state = 'review', review_chat_id = ?, review_message_id = ?, review_file_id = ?, send_video_id = ?, caption = ?, reason = NULL, updated_at = ?
      WHERE id = ? AND state = 'uploading'`).run(draft.chatId, draft.messageId, draft.fileId, sendVideoId, caption, now, id);
  }

  async decide(id: number, decision: "approve" | "reject", actor: string, reason: string | null, now: number): Promise<boolean> {
    // Approved drafts go back in line with fresh attempts: the copy to the channel is a new request.
    return this.db.prepare(`UPDATE upload_job SET state = @state, decided_by = @actor, decided_at = @now, reason = @reason, attempts = 0, not_before = 0,
        finished_at = CASE WHEN @state = 'rejected' THEN @now END, updated_at = @now WHERE id = @id AND state = 'review'`)
      .run({ state: decision === "approve" ? "queued" : "rejected", actor, now, reason, id }).changes > 0;
  }

  async requeue(id: number, notBefore: number, reason: string, giveBackAttempt: boolean, now: number): Promise<void> {
    this.db.prepare(`UPDATE upload_job SET state = 'queued', not_before = ?, reason = ?, attempts = attempts - ?, updated_at = ? WHERE id = ?`)
      .run(notBefore, reason, giveBackAttempt ? 1 : 0, now, id);
  }

  async finish(id: number, state: "failed" | "skipped" | "cancelled" | "uncertain", reason: string, now: number): Promise<void> {
    this.db.prepare(`UPDATE upload_job SET state = @state, reason = @reason, finished_at = CASE WHEN @state = 'uncertain' THEN NULL ELSE @now END,
        uncertain_at = CASE WHEN @state = 'uncertain' THEN @now END, settle_at = CASE WHEN @state = 'uncertain' THEN @now END, updated_at = @now WHERE id = @id`)
      .run({ state, reason, now, id });
  }

  async markInterrupted(now: number): Promise<UploadJob[]> {
    return (this.db.prepare(`UPDATE upload_job SET state = 'uncertain', reason = 'may have been sent — check the channel', uncertain_at = @now, settle_at = @now, updated_at = @now
      WHERE state = 'uploading' RETURNING *`).all({ now }) as JobRow[]).map(toJob).sort((a, b) => a.seq - b.seq);
  }

  async cancel(id: number, now: number): Promise<UploadState | null> {
    return this.db.transaction(() => {
      const before = this.db.prepare(`SELECT state FROM upload_job WHERE id = ?`).pluck().get(id) as UploadState | undefined;
      if (before === undefined) return null;
      if (before === "queued" || before === "converting" || before === "uncertain") {
        this.db.prepare(`UPDATE upload_job SET state = 'cancelled', reason = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
      }
      return before;
    })();
  }

  async toFront(id: number): Promise<boolean> {
    return this.db.prepare(`UPDATE upload_job SET seq = (SELECT min(seq) - 1 FROM upload_job WHERE state IN ('queued', 'converting')) WHERE id = ? AND state IN ('queued', 'converting')`)
      .run(id).changes > 0;
  }

  async retryFailed(now: number): Promise<UploadJob[]> {
    return (this.db.prepare(`UPDATE upload_job SET state = 'queued', attempts = 0, not_before = 0, reason = NULL, finished_at = NULL, updated_at = ?
      WHERE state = 'failed' AND id IN (SELECT max(id) FROM upload_job GROUP BY video_id)
        AND NOT EXISTS (SELECT 1 FROM upload_job a WHERE a.video_id = upload_job.video_id AND a.state IN ${ACTIVE}) RETURNING *`).all(now) as JobRow[]).map(toJob);
  }

  async counts(dayStart: number, now: number): Promise<QueueCounts> {
    const r = this.db.prepare(`SELECT
        sum(state = 'queued' AND not_before <= @now) AS queued, sum(state = 'converting') AS converting, sum(state = 'uploading') AS uploading,
        sum(state = 'queued' AND not_before > @now) AS retrying, sum(state = 'uncertain') AS uncertain,
        sum(state = 'failed' AND id IN (SELECT max(id) FROM upload_job GROUP BY video_id)) AS failed,
        sum(state = 'sent' AND finished_at >= @day) AS sentToday, sum(state = 'review') AS review
      FROM upload_job WHERE state IN ${ACTIVE} OR state = 'failed' OR (state = 'sent' AND finished_at >= @day)`).get({ now, day: dayStart }) as Record<keyof QueueCounts, number | null>;
    return {
      queued: r.queued ?? 0, converting: r.converting ?? 0, uploading: r.uploading ?? 0, retrying: r.retrying ?? 0,
      failed: r.failed ?? 0, uncertain: r.uncertain ?? 0, sentToday: r.sentToday ?? 0, review: r.review ?? 0,
    };
  }

  async list(limit: number): Promise<UploadSummary[]> {
    const rows = this.db.prepare(`SELECT * FROM (
        SELECT j.*, v.file_name, c.title AS channel_title,
          CASE j.state WHEN 'uploading' THEN 0 WHEN 'uncertain' THEN 1 WHEN 'review' THEN 1 WHEN 'queued' THEN 2 WHEN 'converting' THEN 2 ELSE 3 END AS grp
        FROM upload_job j JOIN video v ON v.id = j.video_id ${ROUTE_JOIN}
        WHERE j.state IN ${ACTIVE} OR (j.state = 'failed' AND j.id IN (SELECT max(id) FROM upload_job GROUP BY video_id)))
      ORDER BY grp, CASE WHEN grp = 3 THEN -id ELSE seq END LIMIT ?`).all(limit) as JobRow[];
    return rows.map((r) => ({ ...toJob(r), fileName: r.file_name ?? "", channelTitle: r.channel_title ?? null }));
  }

  async position(id: number): Promise<number> {
    return this.db.prepare(`SELECT count(*) FROM upload_job WHERE state IN ('queued', 'converting') AND seq <= (SELECT seq FROM upload_job WHERE id = ?)`).pluck().get(id) as number;
  }

  async latestFor(videoIds: readonly number[]): Promise<Map<number, UploadJob>> {
    if (videoIds.length === 0) return new Map();
    const rows = this.db.prepare(`SELECT * FROM upload_job WHERE id IN (SELECT max(id) FROM upload_job WHERE video_id IN (${list(videoIds.length)}) GROUP BY video_id)`)
      .all(...videoIds) as JobRow[];
    return new Map(rows.map((r) => [r.video_id, toJob(r)]));
  }

  async jobsIn(state: UploadState): Promise<UploadJob[]> {
    return (this.db.prepare(`SELECT * FROM upload_job WHERE state = ? ORDER BY seq`).all(state) as JobRow[]).map(toJob);
  }

  async markPublicationDeleted(id: number, now: number): Promise<void> {
    this.db.prepare(`UPDATE publication SET deleted_at = ? WHERE id = ?`).run(now, id);
  }

  async setPublicationCaption(id: number, caption: string, now: number): Promise<void> {
    this.db.prepare(`UPDATE publication SET caption = ?, caption_updated_at = ? WHERE id = ?`).run(caption, now, id);
  }

  async autoPending(limit: number): Promise<number[]> {
    return this.db.prepare(`SELECT video_id FROM publish_auto ORDER BY at, video_id LIMIT ?`).pluck().all(limit) as number[];
  }

  async clearAuto(videoIds: readonly number[] | "all"): Promise<void> {
    if (videoIds === "all") this.db.prepare(`DELETE FROM publish_auto`).run();
    else if (videoIds.length > 0) this.db.prepare(`DELETE FROM publish_auto WHERE video_id IN (${list(videoIds.length)})`).run(...videoIds);
  }
}
