import type { DataSource, EntityManager } from "typeorm";
import type { RelevanceTier, SearchDocument, SearchIndexStore, SearchQuery, SearchSource } from "../../../services/search/search-service.js";
import { tierTsquery } from "./postgres-tsquery.js";
import { compareOrdered, layout, POSITION_LIMIT, positionsBetween, type Placed } from "./search-positions.js";
import { inTransaction } from "./transaction.js";

/** Rows per statement when many are written at once (arrays passed to unnest). */
const BATCH = 5000;
/** Above this share of the index, laying everything out afresh is cheaper than finding each newcomer's neighbours. */
const RELAYOUT_SHARE = 0.25;
const RELAYOUT_MIN = 1000;
const DIGITS = /^\d/;
/** Sorts after every character, so [prefix, prefix + TOP) holds exactly the words that start with the prefix. */
const TOP = "\u{10FFFF}";
/** Writers of the index take turns (two processes may refresh at once): the key of their transaction lock. */
const WRITER_LOCK = "vidlib search index";

interface SourceRow { id: number; relative_path: string; file_name: string; status: string; category: string | null; tags: string | null }
interface StoredRow { video_id: number; sort_key: string; name: string; folder: string; tags: string; category: string }

function batches<T>(list: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The search index on PostgreSQL: the PostgreSQL-dialect adapter of the search port, with the same
 * results as the SQLite one (sqlite-fts-search-index.ts) for the same normalised query. Documents live in
 * `video_search` under their position in natural order (search_position, as on SQLite), with a weighted
 * `simple` tsvector and its GIN index (PostgresSearchIndex1763600000028); a page of one relevance tier is
 * read in position order, so no match is ever ranked.
 */
export class PostgresSearchIndex implements SearchIndexStore {
  private readonly queries = new WeakMap<SearchQuery, Map<RelevanceTier | "all", string | null>>();

  constructor(private readonly dataSource: DataSource) {}

  async takeDirty(): Promise<number[]> {
    const rows = await this.dataSource.query<{ video_id: number }[]>(`WITH taken AS (DELETE FROM search_dirty RETURNING video_id) SELECT video_id FROM taken`);
    return rows.map((r) => r.video_id);
  }

  async markDirty(ids: readonly number[]): Promise<void> {
    for (const batch of batches(ids)) {
      await this.dataSource.query(`INSERT INTO search_dirty (video_id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING`, [batch]);
    }
  }

  async markAllDirty(): Promise<void> {
    await this.dataSource.query(`INSERT INTO search_dirty (video_id) SELECT id FROM video ON CONFLICT DO NOTHING`);
  }

  async sources(ids: readonly number[]): Promise<SearchSource[]> {
    const out: SearchSource[] = [];
    for (const batch of batches(ids)) {
      // Tags in the order SQLite's index of a video's tags gives them (by tag id), joined with a character no tag contains.
      const rows = await this.dataSource.query<SourceRow[]>(
        `SELECT v.id, v.relative_path, v.file_name, v.status, c.name AS category,
                (SELECT string_agg(t.name, E'\\n' ORDER BY t.id) FROM video_tag vt JOIN tag t ON t.id = vt.tag_id WHERE vt.video_id = v.id) AS tags
         FROM video v LEFT JOIN category c ON c.id = v.category_id WHERE v.id = ANY($1::bigint[])`, [batch]);
      for (const r of rows) {
        out.push({ id: r.id, relativePath: r.relative_path, fileName: r.file_name, category: r.category,
          tags: r.tags === null ? [] : r.tags.split("\n"), searchable: r.status !== "missing" });
      }
    }
    return out;
  }

  async replace(ids: readonly number[], documents: readonly SearchDocument[]): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [WRITER_LOCK]);
      const old = await this.positionsOf(m, ids);
      await m.query(`DELETE FROM video_search WHERE position = ANY($1::bigint[])`, [[...old.values()].map((o) => o.position)]);
      const kept: [SearchDocument, number][] = [];
      const fresh: SearchDocument[] = [];
      for (const doc of documents) {
        const before = old.get(doc.id);
        // A video whose sort key is unchanged (a tag edit, say) keeps its place.
        if (before?.sortKey === doc.sortKey) {
          kept.push([doc, before.position]);
          old.delete(doc.id);
        } else fresh.push(doc);
      }
      await m.query(`DELETE FROM search_position WHERE video_id = ANY($1::bigint[])`, [[...old.keys()]]);
      await this.insertDocuments(m, kept);
      await this.place(m, fresh);
    });
  }

  async knownWords(words: readonly string[]): Promise<Set<string>> {
    if (words.length === 0) return new Set();
    const rows = await this.dataSource.query<{ term: string }[]>(`SELECT term FROM search_term WHERE term = ANY($1::text[])`, [words]);
    return new Set(rows.map((r) => r.term));
  }

  async expandPrefixes(prefixes: readonly string[], max: number): Promise<Map<string, string[]>> {
    if (prefixes.length === 0) return new Map();
    // One statement for every prefix: each reads at most max + 1 words of its range of the term index.
    const rows = await this.dataSource.query<{ prefix: string; term: string }[]>(
      `SELECT p.prefix, w.term FROM unnest($1::text[], $2::text[]) AS p(prefix, top)
       CROSS JOIN LATERAL (SELECT term FROM search_term WHERE term >= p.prefix AND term < p.top ORDER BY term LIMIT $3) w`,
      [prefixes, prefixes.map((p) => `${p}${TOP}`), max + 1]);
    const words = new Map<string, string[]>(prefixes.map((p) => [p, []]));
    for (const r of rows) words.get(r.prefix)?.push(r.term);
    for (const [prefix, list] of words) if (list.length > max) words.delete(prefix);
    return words;
  }

  async match(query: SearchQuery, tier: RelevanceTier, limit: number, offset: number): Promise<number[]> {
    const tsquery = this.tsqueryOf(query, tier);
    if (tsquery === null) return [];
    const rows = await this.dataSource.query<{ video_id: number }[]>(
      `SELECT sp.video_id FROM (SELECT position FROM video_search WHERE words @@ to_tsquery('simple', $1) ORDER BY position LIMIT $2 OFFSET $3) m
       JOIN search_position sp ON sp.position = m.position ORDER BY sp.position`, [tsquery, limit, offset]);
    return rows.map((r) => r.video_id);
  }

  async count(query: SearchQuery, tier?: RelevanceTier): Promise<number> {
    const tsquery = this.tsqueryOf(query, tier);
    if (tsquery === null) return 0;
    const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM video_search WHERE words @@ to_tsquery('simple', $1)`, [tsquery]);
    return row?.n ?? 0;
  }

  /** The query of one tier as tsquery text, built once per query object (a search asks with the same one several times). */
  private tsqueryOf(query: SearchQuery, tier: RelevanceTier | undefined): string | null {
    let built = this.queries.get(query);
    if (built === undefined) this.queries.set(query, (built = new Map<RelevanceTier | "all", string | null>()));
    const key = tier ?? "all";
    if (!built.has(key)) built.set(key, tierTsquery(query.clauses, query.expansions, tier));
    return built.get(key) ?? null;
  }

  private async positionsOf(m: EntityManager, ids: readonly number[]): Promise<Map<number, { position: number; sortKey: string }>> {
    const found = new Map<number, { position: number; sortKey: string }>();
    for (const batch of batches(ids)) {
      const rows = await m.query<{ video_id: number; position: number; sort_key: string }[]>(
        `SELECT video_id, position, sort_key FROM search_position WHERE video_id = ANY($1::bigint[])`, [batch]);
      for (const r of rows) found.set(r.video_id, { position: r.position, sortKey: r.sort_key });
    }
    return found;
  }

  /** Puts newcomers between their neighbours, or lays the whole index out afresh when they are many or a gap is full. */
  private async place(m: EntityManager, fresh: SearchDocument[]): Promise<void> {
    if (fresh.length === 0) return;
    fresh.sort(compareOrdered);
    const [{ n: total } = { n: 0 }] = await m.query<{ n: number }[]>(`SELECT count(*) AS n FROM search_position`);
    if (fresh.length > Math.max(RELAYOUT_MIN, total * RELAYOUT_SHARE)) return this.relayout(m, fresh);
    // Each newcomer's neighbours in (sort key, id) order, which the "C" collation makes code point order as in compareOrdered.
    const rows = await m.query<{ after: number | null; before: number | null }[]>(
      `SELECT (SELECT position FROM search_position WHERE (sort_key, video_id) < (n.sort_key, n.id) ORDER BY sort_key DESC, video_id DESC LIMIT 1) AS after,
              (SELECT position FROM search_position WHERE (sort_key, video_id) > (n.sort_key, n.id) ORDER BY sort_key, video_id LIMIT 1) AS before
       FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS n(sort_key, id, i) ORDER BY n.i`,
      [fresh.map((d) => d.sortKey), fresh.map((d) => d.id)]);
    const placed: Placed<SearchDocument>[] = fresh.map((doc, i) => ({ item: doc, after: rows[i]?.after ?? 0, before: rows[i]?.before ?? POSITION_LIMIT }));
    const positions = positionsBetween(placed);
    if (positions === null) return this.relayout(m, fresh);
    await this.insertDocuments(m, [...positions]);
  }

  private async relayout(m: EntityManager, fresh: readonly SearchDocument[]): Promise<void> {
    const stored = await m.query<StoredRow[]>(`SELECT sp.video_id, sp.sort_key, f.name, f.folder, f.tags, f.category
      FROM search_position sp JOIN video_search f ON f.position = sp.position`);
    const all: SearchDocument[] = stored.map((r) => ({ id: r.video_id, sortKey: r.sort_key, name: r.name, folder: r.folder, tags: r.tags, category: r.category }));
    all.push(...fresh);
    all.sort(compareOrdered);
    await m.query(`DELETE FROM video_search`);
    await m.query(`DELETE FROM search_position`);
    // Words of removed documents linger in the vocabulary (they only cost a lookup) until a new layout drops them.
    await m.query(`DELETE FROM search_term`);
    const positions = layout(all.length);
    await this.insertDocuments(m, all.map((doc, i) => [doc, positions[i] as number]));
    // Fresh statistics for the planner: after a first build it would otherwise guess at a table it has never seen.
    await m.query(`ANALYZE video_search, search_position, search_term`);
  }

  /** Writes documents at their positions, and their words to the vocabulary. */
  private async insertDocuments(m: EntityManager, placed: readonly (readonly [SearchDocument, number])[]): Promise<void> {
    const words = new Set<string>();
    for (const batch of batches(placed)) {
      const docs = batch.map(([doc]) => doc);
      const positions = batch.map(([, position]) => position);
      await m.query(`INSERT INTO search_position (video_id, position, sort_key) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])
        ON CONFLICT (video_id) DO UPDATE SET position = excluded.position, sort_key = excluded.sort_key`, [docs.map((d) => d.id), positions, docs.map((d) => d.sortKey)]);
      await m.query(`INSERT INTO video_search (position, name, folder, tags, category) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])`,
        [positions, docs.map((d) => d.name), docs.map((d) => d.folder), docs.map((d) => d.tags), docs.map((d) => d.category)]);
      for (const doc of docs) {
        for (const text of [doc.name, doc.folder, doc.tags, doc.category]) {
          // Numbers are matched exactly, never by prefix nor as half of a compound: they need no entry.
          for (const word of text.split(" ")) if (word !== "" && !DIGITS.test(word)) words.add(word);
        }
      }
    }
    for (const batch of batches([...words])) await m.query(`INSERT INTO search_term (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [batch]);
  }
}
