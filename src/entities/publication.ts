import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * A post in a channel, as it was sent. No foreign keys, on purpose: the record of what was posted
 * where outlives the video, the channel and the upload job, so the channel's title is kept with it.
 */
@Entity({ name: "publication" })
export class Publication {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Index("IDX_publication_video")
  @Column({ type: "integer", name: "video_id" })
  videoId!: number;

  @Index("IDX_publication_sent_video")
  @Column({ type: "integer", name: "sent_video_id" })
  sentVideoId!: number;

  @Column({ type: "integer", name: "channel_id" })
  channelId!: number;

  @Column({ type: "integer", name: "chat_id" })
  chatId!: number;

  @Column({ type: "text", name: "channel_title" })
  channelTitle!: string;

  @Column({ type: "text", name: "channel_username", nullable: true })
  channelUsername!: string | null;

  @Column({ type: "integer", name: "message_id", nullable: true })
  messageId!: number | null;

  @Column({ type: "text", name: "file_id", nullable: true })
  fileId!: string | null;

  @Column({ type: "text" })
  caption!: string;

  @Column({ type: "integer", name: "job_id", nullable: true })
  jobId!: number | null;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Index("IDX_publication_sent_at")
  @Column({ type: "integer", name: "sent_at" })
  sentAt!: number;

  @Column({ type: "integer", name: "caption_updated_at", nullable: true })
  captionUpdatedAt!: number | null;

  @Column({ type: "integer", name: "deleted_at", nullable: true })
  deletedAt!: number | null;

  /** The draft in the review chat this post was copied from, for a category that reviews first. */
  @Column({ type: "integer", name: "review_chat_id", nullable: true })
  reviewChatId!: number | null;

  @Column({ type: "integer", name: "review_message_id", nullable: true })
  reviewMessageId!: number | null;
}
