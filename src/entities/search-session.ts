import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** A search shown in a chat; its id travels in the result buttons instead of the query itself. */
@Entity({ name: "search_session" })
export class SearchSession {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "integer", name: "chat_id" })
  chatId!: number;

  @Column({ type: "text" })
  query!: string;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;
}
