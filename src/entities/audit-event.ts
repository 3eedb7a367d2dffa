import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export type ActorKind = "user" | "system";

/** One append-only record of who did what to which thing, with the state before and after. */
@Entity({ name: "audit_event" })
// A video's History reads its events newest first; bulk edits make this table grow fast.
@Index("IDX_audit_event_target", ["targetType", "targetId", "id"])
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Index()
  @Column({ type: "integer" })
  at!: number;

  @Column({ type: "text", name: "actor_kind" })
  actorKind!: ActorKind;

  /** A Telegram user id for people, a worker name for the system. */
  @Index()
  @Column({ type: "text", name: "actor_id" })
  actorId!: string;

  @Index()
  @Column({ type: "text" })
  action!: string;

  @Column({ type: "text", name: "target_type", nullable: true })
  targetType!: string | null;

  @Column({ type: "text", name: "target_id", nullable: true })
  targetId!: string | null;

  /** JSON of the state before the change, if any. */
  @Column({ type: "text", nullable: true })
  before!: string | null;

  @Column({ type: "text", nullable: true })
  after!: string | null;
}
