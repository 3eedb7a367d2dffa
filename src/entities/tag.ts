import { Column, Entity, Index, ManyToMany, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/** A label on videos; `key` is the normalised form two spellings of one tag share. */
@Entity({ name: "tag" })
export class Tag {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  /** The display form as first written. */
  @Column({ type: "text" })
  name!: string;

  @Index({ unique: true })
  @Column({ type: "text" })
  key!: string;

  @ManyToMany(() => Video, (video) => video.tags)
  videos!: Relation<Video>[];

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;
}
