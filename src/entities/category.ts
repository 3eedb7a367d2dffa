import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** A single-choice grouping of videos; its audience decides which channels may carry them. */
@Entity({ name: "category" })
export class Category {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "text" })
  name!: string;

  /** Lower-cased name, so "Physics" and "physics" are one category. */
  @Index({ unique: true })
  @Column({ type: "text" })
  key!: string;

  @Column({ type: "text" })
  audience!: string;

  /** Uploads of this category go to the review chat as drafts first; an admin approves or rejects them. */
  @Column({ type: "boolean", name: "review_first", default: false })
  reviewFirst!: boolean;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;
}
