import { Column, Entity, PrimaryColumn } from "typeorm";

/** A setting changed in the bot at run time (environment settings live in Config). */
@Entity({ name: "setting" })
export class Setting {
  @PrimaryColumn({ type: "text" })
  key!: string;

  /** JSON-encoded value. */
  @Column({ type: "text" })
  value!: string;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;
}
