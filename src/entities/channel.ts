import { Column, Entity, PrimaryGeneratedColumn, Index } from "typeorm";

/** A Telegram channel the bot posts to, and the audience it reaches. */
@Entity({ name: "channel" })
export class Channel {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Index({ unique: true })
  @Column({ type: "integer", name: "chat_id" })
  chatId!: number;

  @Column({ type: "text" })
  title!: string;

  @Column({ type: "text", nullable: true })
  username!: string | null;

  @Column({ type: "text" })
  audience!: string;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;
}
