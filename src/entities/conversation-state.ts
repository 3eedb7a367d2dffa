import { Column, Entity, PrimaryColumn } from "typeorm";

/** The serialised state of the bot's conversations for one chat, so a dialogue survives a restart. */
@Entity({ name: "conversation_state" })
export class ConversationState {
  @PrimaryColumn({ type: "text" })
  key!: string;

  @Column({ type: "text" })
  value!: string;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;
}
