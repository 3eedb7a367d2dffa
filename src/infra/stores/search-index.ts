import type { DataSource } from "typeorm";
import type { SearchDocument, SearchIndexStore, SearchSource } from "../../services/search/search-service.js";

const BATCH = 500;

function inList(ids: readonly number[]): string {
  return ids.map(() => "?").join(", ");
}

interface SourceRow { id: number; relative_path: string; file_name: string; status: string; category: string | null; tags: string | null }

/** The FTS5 search index in SQLite. */
export class SqliteSearchIndex implements SearchIndexStore {
  constructor(private readonly dataSource: DataSource) {}

  async dirty(limit: number): Promise<number[]> {
    const rows = await this.dataSource.query<{ video_id: number }[]>(`SELECT video_id FROM search_dirty LIMIT ?`, [limit]);
    return rows.map((r) => r.video_id);
  }

  async sources(ids: readonly number[]): Promise<SearchSource[]> {
    const out: SearchSource[] = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      // Tags are joined with a character no tag contains (a newline), to be split again here.
      const rows = await this.dataSource.query<SourceRow[]>(
        `SELECT v.id, v.relative_path, v.file_name, v.status, c.name AS category,
                (SELECT group_concat(t.name, char(10)) FROM video_tag vt JOIN tag t ON t.id = vt.tag_id WHERE vt.video_id = v.id) AS tags
         FROM video v LEFT JOIN category c ON c.id = v.category_id WHERE v.id IN (${inList(batch)})`, batch);
      for (const r of rows) {
        out.push({ id: r.id, relativePath: r.relative_path, fileName: r.file_name, category: r.category,
          tags: r.tags === null ? [] : r.tags.split("\n"), searchable: r.status !== "missing" });
      }
    }
    return out;
  }

  async replace(ids: readonly number[], documents: readonly SearchDocument[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        await manager.query(`DELETE FROM video_search WHERE rowid IN (${inList(batch)})`, batch);
        await manager.query(`DELETE FROM search_dirty WHERE video_id IN (${inList(batch)})`, batch);
      }
      for (let i = 0; i < documents.length; i += BATCH) {
        const batch = documents.slice(i, i + BATCH);
        await manager.query(
          `INSERT INTO video_search (rowid, name, folder, tags, category, sort_key) VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
          batch.flatMap((d) => [d.id, d.name, d.folder, d.tags, d.category, d.sortKey]));
      }
    });
  }

  async match(expression: string, limit: number, offset: number): Promise<number[]> {
    // Names weigh most, then tags, category and folder; rounding lets natural order decide among equals.
    const rows = await this.dataSource.query<{ id: number }[]>(
      `SELECT rowid AS id FROM video_search WHERE video_search MATCH ?
       ORDER BY round(bm25(video_search, 4.0, 1.0, 2.0, 1.5), 3), sort_key LIMIT ? OFFSET ?`, [expression, limit, offset]);
    return rows.map((r) => r.id);
  }

  async count(expression: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM video_search WHERE video_search MATCH ?`, [expression]);
    return row?.n ?? 0;
  }
}
