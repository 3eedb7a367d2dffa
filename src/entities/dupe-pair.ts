import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/**
 * A duplicate pair as it was shown, with the sizes and modification times a later action checks against,
 * so nothing is removed that changed since a person looked.
 */
@Entity({ name: "dupe_pair" })
export class DupePair {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  /** "ts-mp4" (a recording and its conversion) or "exact" (same content). */
  @Column({ type: "text" })
  kind!: string;

  @Column({ type: "integer", name: "original_id" })
  originalId!: number;

  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "original_id" })
  original!: Relation<Video>;

  @Column({ type: "integer", name: "copy_id" })
  copyId!: number;

  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "copy_id" })
  copy!: Relation<Video>;

  @Column({ type: "integer", name: "original_size" })
  originalSize!: number;

  @Column({ type: "real", name: "original_mtime" })
  originalMtime!: number;

  @Column({ type: "integer", name: "copy_size" })
  copySize!: number;

  @Column({ type: "real", name: "copy_mtime" })
  copyMtime!: number;

  /** 1 when the content hashes confirmed the pair, 0 otherwise (an integer column, not a boolean one). */
  @Column({ type: "integer" })
  verified!: number;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "text", nullable: true })
  resolution!: string | null;

  @Column({ type: "integer", name: "resolved_at", nullable: true })
  resolvedAt!: number | null;
}
