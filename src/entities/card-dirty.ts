import { Entity, PrimaryColumn } from "typeorm";

/** A video whose cards shown in chats are stale, marked by triggers and drained by the card refresher. */
@Entity({ name: "card_dirty" })
export class CardDirty {
  @PrimaryColumn({ type: "integer", name: "video_id" })
  videoId!: number;
}
