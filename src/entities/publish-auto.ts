import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { Video } from "./video.js";

/** A video whose category was just set, written by a trigger and drained by auto-publish. */
@Entity({ name: "publish_auto" })
export class PublishAuto {
  @PrimaryColumn({ type: "integer", name: "video_id" })
  videoId!: number;

  // ManyToOne, not OneToOne: the primary key already makes it unique, and a OneToOne would add a constraint.
  @ManyToOne(() => Video, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "video_id" })
  video!: Relation<Video>;

  @Column({ type: "integer" })
  at!: number;
}
