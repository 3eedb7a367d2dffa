import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export type BulkActionKind = "tag" | "untag" | "category";

/** A bulk edit a person made, with what undoing it needs; only a person's last one can be undone, once. */
@Entity({ name: "bulk_action" })
export class BulkAction {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Column({ type: "text" })
  kind!: BulkActionKind;

  @Column({ type: "text" })
  summary!: string;

  /** JSON of the changes that undo the action. */
  @Column({ type: "text" })
  undo!: string;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "integer", name: "undone_at", nullable: true })
  undoneAt!: number | null;
}
