import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** `CHECK ("source" IN ('chat', 'inline'))` is inline and unnamed in the table; TypeORM knows only named checks. */
export type SearchLogSource = "chat" | "inline";

/** A search a person made and the video they chose from it, for the weekly figures. */
@Entity({ name: "search_log" })
@Index("IDX_search_log_user", ["userId", "source", "at"])
export class SearchLog {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Index("IDX_search_log_at")
  @Column({ type: "integer" })
  at!: number;

  @Column({ type: "integer", name: "user_id" })
  userId!: number;

  @Column({ type: "text" })
  source!: SearchLogSource;

  @Column({ type: "text" })
  query!: string;

  /** JSON array of the normalised words searched for. */
  @Column({ type: "text" })
  words!: string;

  @Column({ type: "integer" })
  results!: number;

  /** No foreign key: the figures keep a choice after its video is gone. */
  @Column({ type: "integer", name: "chosen_video_id", nullable: true })
  chosenVideoId!: number | null;

  @Column({ type: "integer", name: "chosen_at", nullable: true })
  chosenAt!: number | null;
}
