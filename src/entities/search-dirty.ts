import { Entity, PrimaryColumn } from "typeorm";

/**
 * A video whose search words may have changed, listed by the service that changed it (the scanner in the
 * transaction of its writes) and drained by the search.refresh job and by every search.
 * No foreign key: a deleted video stays listed so that its words are removed from the index.
 */
@Entity({ name: "search_dirty" })
export class SearchDirty {
  @PrimaryColumn({ type: "integer", name: "video_id" })
  videoId!: number;
}
