import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { Category } from "./category.js";
import { Channel } from "./channel.js";

/**
 * The channel a category posts to. Triggers refuse a mapping, or a later audience change, that would
 * join different audiences; a channel that a category still posts to cannot be deleted.
 */
@Entity({ name: "category_channel" })
export class CategoryChannel {
  @PrimaryColumn({ type: "integer", name: "category_id" })
  categoryId!: number;

  // ManyToOne, not OneToOne: the primary key already makes it unique, and a OneToOne would add a constraint.
  @ManyToOne(() => Category, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "category_id" })
  category!: Relation<Category>;

  @Index("IDX_category_channel_channel")
  @Column({ type: "integer", name: "channel_id" })
  channelId!: number;

  @ManyToOne(() => Channel, { nullable: false, onDelete: "RESTRICT" })
  @JoinColumn({ name: "channel_id" })
  channel!: Relation<Channel>;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;
}
