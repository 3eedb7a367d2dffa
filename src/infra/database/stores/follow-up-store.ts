import type { DataSource } from "typeorm";
import { CardDirty } from "../../../entities/card-dirty.js";
import { SearchDirty } from "../../../entities/search-dirty.js";
import { VideoCard } from "../../../entities/video-card.js";
import type { FollowUpStore } from "../../../services/follow-up/video-follow-ups.js";

// SQLite allows 32766 bound values per statement; stay well below.
const BATCH = 500;

/** The search index's and the cards' out-of-date lists, through TypeORM's query builder. */
export class TypeormFollowUpStore implements FollowUpStore {
  constructor(private readonly dataSource: DataSource) {}

  async markSearch(videoIds: readonly number[]): Promise<void> {
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const batch = videoIds.slice(i, i + BATCH).map((videoId) => ({ videoId }));
      await this.dataSource.createQueryBuilder().insert().into(SearchDirty).orIgnore().values(batch).execute();
    }
  }

  async markCards(videoIds: readonly number[]): Promise<number> {
    let marked = 0;
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const shown = await this.dataSource.createQueryBuilder().select("DISTINCT c.video_id", "videoId").from(VideoCard, "c")
        .where("c.video_id IN (:...ids)", { ids: videoIds.slice(i, i + BATCH) }).getRawMany<{ videoId: number }>();
      if (shown.length === 0) continue;
      await this.dataSource.createQueryBuilder().insert().into(CardDirty).orIgnore().values(shown.map((r) => ({ videoId: r.videoId }))).execute();
      marked += shown.length;
    }
    return marked;
  }

  async pending(): Promise<{ search: boolean; cards: boolean }> {
    const any = async (entity: typeof SearchDirty | typeof CardDirty): Promise<boolean> =>
      (await this.dataSource.createQueryBuilder().select("d.video_id", "id").from(entity, "d").limit(1).getRawOne()) !== undefined;
    return { search: await any(SearchDirty), cards: await any(CardDirty) };
  }
}
