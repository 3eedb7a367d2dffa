import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * An update from Telegram, written before it is handled and marked done after. The runner confirms
 * updates to Telegram before they are handled, so this is what lets a crash replay, not lose, them.
 */
@Entity({ name: "update_journal" })
export class UpdateJournalEntry {
  @PrimaryColumn({ type: "integer", name: "update_id" })
  updateId!: number;

  /** The update's JSON, for replay. */
  @Column({ type: "text" })
  payload!: string;

  @Column({ type: "integer", name: "received_at" })
  receivedAt!: number;

  @Column({ type: "integer", name: "done_at", nullable: true })
  doneAt!: number | null;
}
