import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/**
 * The SHA-256 of a video's whole content, valid while its size and modification time are as hashed;
 * it confirms exact duplicates.
 */
@Entity({ name: "content_hash" })
export class ContentHash {
  @PrimaryColumn({ type: "integer", name: "video_id" })
  videoId!: number;

  // One hash per video, but ManyToOne: a OneToOne would add a unique constraint the table does not have
  // (the primary key already makes it unique).
  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "video_id" })
  video!: Relation<Video>;

  @Column({ type: "integer", name: "size_bytes" })
  sizeBytes!: number;

  @Column({ type: "real", name: "mtime_ms" })
  mtimeMs!: number;

  @Column({ type: "text" })
  sha256!: string;

  @Column({ type: "integer", name: "hashed_at" })
  hashedAt!: number;
}
