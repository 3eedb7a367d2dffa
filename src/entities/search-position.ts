import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * A video's place in the natural order of names: the FTS5 index's rowid, so a search can stop after the
 * first page. `sortKey` places a newcomer between its neighbours.
 */
@Entity({ name: "search_position" })
@Index("IDX_search_position_order", ["sortKey", "videoId"])
export class SearchPosition {
  @PrimaryColumn({ type: "integer", name: "video_id" })
  videoId!: number;

  @Column({ type: "integer", unique: true })
  position!: number;

  @Column({ type: "text", name: "sort_key" })
  sortKey!: string;
}
