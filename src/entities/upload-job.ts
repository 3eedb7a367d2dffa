import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/** The table's `CHECK ("state" IN (…))` is inline and unnamed; TypeORM knows only named checks, so it stays in the migration. */
export type UploadJobState = "queued" | "converting" | "uploading" | "sent" | "failed" | "uncertain" | "cancelled" | "skipped" | "review" | "rejected";

/** An item of the upload queue (FIFO by `seq`); one active item per video. */
@Entity({ name: "upload_job" })
@Index("IDX_upload_job_active", ["videoId"], { unique: true, where: `"state" IN ('queued', 'converting', 'uploading', 'uncertain', 'review')` })
@Index("IDX_upload_job_state", ["state", "seq"])
@Index("IDX_upload_job_video", ["videoId", "id"])
export class UploadJob {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "video_id" })
  videoId!: number;

  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "video_id" })
  video!: Relation<Video>;

  @Column({ type: "text" })
  state!: UploadJobState;

  @Column({ type: "real" })
  seq!: number;

  /** 1 when a person asked to post again what was already posted (an integer column, not a boolean one). */
  @Column({ type: "integer", default: 0 })
  force!: number;

  @Column({ type: "text" })
  origin!: string;

  @Column({ type: "text", name: "actor_kind" })
  actorKind!: string;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  /** The engine job that sends it now (or sent it last): its attempts and retry time are the engine's. */
  @Column({ type: "integer", name: "job_id", nullable: true })
  jobId!: number | null;

  @Column({ type: "integer", name: "replaces_publication_id", nullable: true })
  replacesPublicationId!: number | null;

  /** The channel it was sent into; a plain id, as the post outlives a channel's removal. */
  @Column({ type: "integer", name: "channel_id", nullable: true })
  channelId!: number | null;

  @Column({ type: "integer", name: "chat_id", nullable: true })
  chatId!: number | null;

  /** The video actually sent (the MP4 a recording was converted to, or the video itself). */
  @Column({ type: "integer", name: "send_video_id", nullable: true })
  sendVideoId!: number | null;

  @Column({ type: "text", nullable: true })
  caption!: string | null;

  @Column({ type: "integer", name: "message_id", nullable: true })
  messageId!: number | null;

  @Column({ type: "text", name: "file_id", nullable: true })
  fileId!: string | null;

  @Column({ type: "text", nullable: true })
  reason!: string | null;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "integer", name: "started_at", nullable: true })
  startedAt!: number | null;

  @Index("IDX_upload_job_finished")
  @Column({ type: "integer", name: "finished_at", nullable: true })
  finishedAt!: number | null;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;

  @Column({ type: "integer", name: "review_chat_id", nullable: true })
  reviewChatId!: number | null;

  @Column({ type: "integer", name: "review_message_id", nullable: true })
  reviewMessageId!: number | null;

  @Column({ type: "text", name: "review_file_id", nullable: true })
  reviewFileId!: string | null;

  @Column({ type: "text", name: "decided_by", nullable: true })
  decidedBy!: string | null;

  @Column({ type: "integer", name: "decided_at", nullable: true })
  decidedAt!: number | null;

  /** When it became uncertain whether it was sent; absence from the channel is believed only after a quiet time. */
  @Column({ type: "integer", name: "uncertain_at", nullable: true })
  uncertainAt!: number | null;

  /** When vidlib looks at the channel next; null when a person decides. */
  @Column({ type: "integer", name: "settle_at", nullable: true })
  settleAt!: number | null;
}
