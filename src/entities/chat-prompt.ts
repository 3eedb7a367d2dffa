import { Column, Entity, PrimaryColumn } from "typeorm";

/** What the next typed message in a chat answers (a tag name, a rename…), one per chat. */
@Entity({ name: "chat_prompt" })
export class ChatPrompt {
  @PrimaryColumn({ type: "integer", name: "chat_id" })
  chatId!: number;

  @Column({ type: "text" })
  kind!: string;

  /** JSON of what the answer applies to. */
  @Column({ type: "text" })
  payload!: string;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;
}
