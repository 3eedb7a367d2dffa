import { Entity, PrimaryColumn } from "typeorm";

/**
 * A video whose search words may have changed, marked by triggers and drained by the search index.
 * No foreign key: a deleted video stays listed so that its words are removed from the index.
 */
@Entity({ name: "search_dirty" })
export class SearchDirty {
  @PrimaryColumn({ type: "integer", name: "video_id" })
  videoId!: number;
}
