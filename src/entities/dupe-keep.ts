import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * Two videos a person chose to keep both of, so they are not offered as duplicates again; the lower id
 * comes first. No foreign keys: the choice outlives a rescan that gives a file a new row.
 */
@Entity({ name: "dupe_keep" })
export class DupeKeep {
  @PrimaryColumn({ type: "integer", name: "low_id" })
  lowId!: number;

  @PrimaryColumn({ type: "integer", name: "high_id" })
  highId!: number;

  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;
}
