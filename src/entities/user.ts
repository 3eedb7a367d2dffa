import { Column, Entity, Index, PrimaryColumn } from "typeorm";

export const ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** A Telegram user the bot has met; `role` null means a stranger with no access. */
@Entity({ name: "user" })
export class User {
  @PrimaryColumn({ type: "integer", name: "telegram_id" })
  telegramId!: number;

  @Index()
  @Column({ type: "text", nullable: true })
  username!: string | null;

  @Column({ type: "text", name: "first_name", default: "" })
  firstName!: string;

  /** Granted roles only; owners come from ADMIN_IDS and are never stored as granted. */
  @Column({ type: "text", nullable: true })
  role!: Role | null;

  @Column({ type: "integer", name: "first_seen_at" })
  firstSeenAt!: number;

  @Column({ type: "integer", name: "last_seen_at" })
  lastSeenAt!: number;

  /** When a stranger was last told no, so they are told once and not on every message. */
  @Column({ type: "integer", name: "refused_at", nullable: true })
  refusedAt!: number | null;
}
