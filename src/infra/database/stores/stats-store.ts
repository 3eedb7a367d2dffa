import type { DataSource, Repository } from "typeorm";
import type { SearchSource, StatsStore } from "../../../services/stats/stats-service.js";
import { SearchLog } from "../../../entities/search-log.js";
import { Publication } from "../../../entities/publication.js";
import { Video } from "../../../entities/video.js";
import { count } from "./db-errors.js";

/** SQLite's BINARY collation, which ORDER BY used here before: compare UTF-8 bytes, not UTF-16 units. */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Search analytics (the search_log table) and the weekly figures, read from the posts and the library. */
export class SqliteStatsStore implements StatsStore {
  private readonly log: Repository<SearchLog>;

  constructor(private readonly dataSource: DataSource) {
    this.log = dataSource.getRepository(SearchLog);
  }

  async lastOpenInline(userId: number, since: number): Promise<{ id: number; query: string } | null> {
    const row = await this.log.createQueryBuilder("s").select(["s.id", "s.query", "s.chosenVideoId"])
      .where("s.user_id = :userId AND s.source = 'inline' AND s.at >= :since", { userId, since }).orderBy("s.id", "DESC").limit(1).getOne();
    return row === null || row.chosenVideoId !== null ? null : { id: row.id, query: row.query };
  }

  async insertSearch(entry: { userId: number; source: SearchSource; query: string; words: readonly string[]; results: number }, now: number): Promise<number> {
    const result = await this.log.insert({ at: now, userId: entry.userId, source: entry.source, query: entry.query, words: JSON.stringify(entry.words), results: entry.results });
    return Number((result.identifiers[0] as { id: number }).id);
  }

  async updateSearch(id: number, entry: { query: string; words: readonly string[]; results: number }, now: number): Promise<void> {
    await this.log.update({ id }, { query: entry.query, words: JSON.stringify(entry.words), results: entry.results, at: now });
  }

  async choose(searchId: number, userId: number, videoId: number, now: number): Promise<boolean> {
    const result = await this.log.update({ id: searchId, userId }, { chosenVideoId: videoId, chosenAt: now });
    return (result.affected ?? 0) > 0;
  }

  async inlineSearchFor(userId: number, query: string, since: number): Promise<number | null> {
    const row = await this.log.createQueryBuilder("s").select("s.id")
      .where("s.user_id = :userId AND s.source = 'inline' AND s.query = :query AND s.at >= :since", { userId, query, since }).orderBy("s.id", "DESC").limit(1).getOne();
    return row?.id ?? null;
  }

  async searchCount(since: number): Promise<number> {
    return this.log.createQueryBuilder("s").where("s.at >= :since", { since }).getCount();
  }

  async topWords(since: number, limit: number): Promise<{ word: string; count: number }[]> {
    // The words are a JSON array per search; unpacking JSON in SQL differs per database, so they are counted here.
    const rows = await this.log.createQueryBuilder("s").select("s.words", "words").where("s.at >= :since", { since }).getRawMany<{ words: string }>();
    const counts = new Map<string, number>();
    for (const row of rows) for (const word of JSON.parse(row.words) as string[]) counts.set(word, (counts.get(word) ?? 0) + 1);
    return [...counts].map(([word, n]) => ({ word, count: n })).sort((a, b) => b.count - a.count || byBytes(a.word, b.word)).slice(0, limit);
  }

  async noResults(since: number, limit: number): Promise<{ query: string; count: number }[]> {
    const rows = await this.log.createQueryBuilder("s").select("MIN(s.query)", "query").addSelect("COUNT(*)", "count")
      .where("s.at >= :since AND s.results = 0", { since }).groupBy("LOWER(s.query)").orderBy("count", "DESC").addOrderBy("query").limit(limit)
      .getRawMany<{ query: string; count: unknown }>();
    return rows.map((r) => ({ query: r.query, count: count(r.count) }));
  }

  async topChosen(since: number, limit: number): Promise<{ videoId: number; fileName: string; count: number }[]> {
    const rows = await this.log.createQueryBuilder("s").leftJoin(Video, "v", "v.id = s.chosen_video_id")
      .select("s.chosen_video_id", "videoId").addSelect("v.file_name", "fileName").addSelect("COUNT(*)", "count")
      .where("s.at >= :since AND s.chosen_video_id IS NOT NULL", { since }).groupBy("s.chosen_video_id").addGroupBy("v.file_name")
      .getRawMany<{ videoId: unknown; fileName: string | null; count: unknown }>();
    // A chosen video deleted since is named by its id.
    return rows.map((r) => ({ videoId: Number(r.videoId), fileName: r.fileName ?? `video ${String(r.videoId)}`, count: count(r.count) }))
      .sort((a, b) => b.count - a.count || byBytes(a.fileName, b.fileName)).slice(0, limit);
  }

  async postsPerChannel(from: number, to: number): Promise<{ channel: string; at: number }[]> {
    const rows = await this.dataSource.getRepository(Publication).createQueryBuilder("p").select("p.channel_title", "channel").addSelect("p.sent_at", "at")
      .where("p.sent_at >= :from AND p.sent_at <= :to", { from, to }).getRawMany<{ channel: string; at: unknown }>();
    return rows.map((r) => ({ channel: r.channel, at: Number(r.at) }));
  }

  async videosAddedSince(from: number): Promise<number[]> {
    const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v").select("v.created_at", "at").where("v.created_at >= :from", { from })
      .getRawMany<{ at: unknown }>();
    return rows.map((r) => Number(r.at));
  }

  async videosBefore(at: number): Promise<number> {
    return this.dataSource.getRepository(Video).createQueryBuilder("v").where("v.created_at < :at", { at }).getCount();
  }
}
