import { Entity, PrimaryColumn } from "typeorm";

/**
 * A video whose cards shown in chats are stale, listed by the service that changed it (and, until uploads move
 * onto the job engine, by the upload and publication triggers) and drained by the card.refresh job.
 */
@Entity({ name: "card_dirty" })
export class CardDirty {
  @PrimaryColumn({ type: "integer", name: "video_id" })
  videoId!: number;
}
