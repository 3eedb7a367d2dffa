/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 statements are synchronous; the methods are async because the service ports are. */
import type { DataSource } from "typeorm";
import type { SearchSource, StatsStore } from "../../services/stats/stats-service.js";
import { rawDatabase, type RawDatabase } from "./raw-sqlite.js";

/** Search analytics (the search_log table) and the weekly figures, read from the posts and the library. */
export class SqliteStatsStore implements StatsStore {
  private readonly db: RawDatabase;

  constructor(dataSource: DataSource) {
    this.db = rawDatabase(dataSource);
  }

  async lastOpenInline(userId: number, since: number): Promise<{ id: number; query: string } | null> {
    const row = this.db.prepare(`SELECT id, query, chosen_video_id FROM search_log WHERE user_id = ? AND source = 'inline' AND at >= ? ORDER BY id DESC LIMIT 1`)
      .get(userId, since) as { id: number; query: string; chosen_video_id: number | null } | undefined;
    return row === undefined || row.chosen_video_id !== null ? null : { id: row.id, query: row.query };
  }

  async insertSearch(entry: { userId: number; source: SearchSource; query: string; words: readonly string[]; results: number }, now: number): Promise<number> {
    return this.db.prepare(`INSERT INTO search_log (at, user_id, source, query, words, results) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`)
      .pluck().get(now, entry.userId, entry.source, entry.query, JSON.stringify(entry.words), entry.results) as number;
  }

  async updateSearch(id: number, entry: { query: string; words: readonly string[]; results: number }, now: number): Promise<void> {
    this.db.prepare(`UPDATE search_log SET query = ?, words = ?, results = ?, at = ? WHERE id = ?`).run(entry.query, JSON.stringify(entry.words), entry.results, now, id);
  }

  async choose(searchId: number, userId: number, videoId: number, now: number): Promise<boolean> {
    return this.db.prepare(`UPDATE search_log SET chosen_video_id = ?, chosen_at = ? WHERE id = ? AND user_id = ?`).run(videoId, now, searchId, userId).changes > 0;
  }

  async inlineSearchFor(userId: number, query: string, since: number): Promise<number | null> {
    return (this.db.prepare(`SELECT id FROM search_log WHERE user_id = ? AND source = 'inline' AND query = ? AND at >= ? ORDER BY id DESC LIMIT 1`)
      .pluck().get(userId, query, since) as number | undefined) ?? null;
  }

  async searchCount(since: number): Promise<number> {
    return this.db.prepare(`SELECT count(*) FROM search_log WHERE at >= ?`).pluck().get(since) as number;
  }

  async topWords(since: number, limit: number): Promise<{ word: string; count: number }[]> {
    return this.db.prepare(`SELECT w.value AS word, count(*) AS count FROM search_log s, json_each(s.words) w WHERE s.at >= ?
      GROUP BY w.value ORDER BY count DESC, word LIMIT ?`).all(since, limit) as { word: string; count: number }[];
  }

  async noResults(since: number, limit: number): Promise<{ query: string; count: number }[]> {
    return this.db.prepare(`SELECT min(query) AS query, count(*) AS count FROM search_log WHERE at >= ? AND results = 0
      GROUP BY lower(query) ORDER BY count DESC, query LIMIT ?`).all(since, limit) as { query: string; count: number }[];
  }

  async topChosen(since: number, limit: number): Promise<{ videoId: number; fileName: string; count: number }[]> {
    return this.db.prepare(`SELECT s.chosen_video_id AS videoId, coalesce(v.file_name, 'video ' || s.chosen_video_id) AS fileName, count(*) AS count
      FROM search_log s LEFT JOIN video v ON v.id = s.chosen_video_id WHERE s.at >= ? AND s.chosen_video_id IS NOT NULL
      GROUP BY s.chosen_video_id ORDER BY count DESC, fileName LIMIT ?`).all(since, limit) as { videoId: number; fileName: string; count: number }[];
  }

  async postsPerChannel(from: number, to: number): Promise<{ channel: string; at: number }[]> {
    return this.db.prepare(`SELECT channel_title AS channel, sent_at AS at FROM publication WHERE sent_at >= ? AND sent_at <= ?`).all(from, to) as { channel: string; at: number }[];
  }

  async videosAddedSince(from: number): Promise<number[]> {
    return this.db.prepare(`SELECT created_at FROM video WHERE created_at >= ?`).pluck().all(from) as number[];
  }

  async videosBefore(at: number): Promise<number> {
    return this.db.prepare(`SELECT count(*) FROM video WHERE created_at < ?`).pluck().get(at) as number;
  }
}
