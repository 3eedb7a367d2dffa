import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/** A video's card shown in a chat, so it can be edited in place when the video changes. */
@Entity({ name: "video_card" })
export class VideoCard {
  @PrimaryColumn({ type: "integer", name: "chat_id" })
  chatId!: number;

  @PrimaryColumn({ type: "integer", name: "message_id" })
  messageId!: number;

  @Index("IDX_video_card_video")
  @Column({ type: "integer", name: "video_id" })
  videoId!: number;

  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "video_id" })
  video!: Relation<Video>;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;
}
