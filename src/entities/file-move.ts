import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/** `CHECK ("kind" IN ('trash', 'archive'))` is inline and unnamed in the table; TypeORM knows only named checks. */
export type FileMoveKind = "trash" | "archive";

/** A file moved to the trash or the archive, with what undoing the move needs. */
@Entity({ name: "file_move" })
@Index("IDX_file_move_video", ["videoId", "id"])
export class FileMove {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "video_id" })
  videoId!: number;

  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "video_id" })
  video!: Relation<Video>;

  @Column({ type: "text" })
  kind!: FileMoveKind;

  @Column({ type: "text", name: "from_path" })
  fromPath!: string;

  @Column({ type: "text", name: "to_path" })
  toPath!: string;

  @Column({ type: "integer", name: "size_bytes" })
  sizeBytes!: number;

  @Column({ type: "real", name: "mtime_ms" })
  mtimeMs!: number;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Column({ type: "integer", name: "moved_at" })
  movedAt!: number;

  @Column({ type: "integer", name: "expires_at", nullable: true })
  expiresAt!: number | null;

  @Column({ type: "integer", name: "undone_at", nullable: true })
  undoneAt!: number | null;

  @Column({ type: "integer", name: "purged_at", nullable: true })
  purgedAt!: number | null;
}
