import type { DataSource } from "typeorm";
import type { RelevanceTier, SearchDocument, SearchIndexStore, SearchQuery, SearchSource } from "../../../services/search/search-service.js";
import { matchExpression, tierExpression } from "./fts5-query.js";
import { rawDatabase, type RawDatabase, type RawStatement } from "./raw-sqlite.js";
import { compareOrdered, layout, POSITION_LIMIT, positionsBetween, type Placed } from "./search-positions.js";

const BATCH = 500;
/** Above this share of the index, laying everything out afresh is cheaper than finding each newcomer's neighbours. */
const RELAYOUT_SHARE = 0.25;
const RELAYOUT_MIN = 1000;
const DIGITS = /^\d/;

function inList(ids: readonly number[]): string {
  return ids.map(() => "?").join(", ");
}

interface SourceRow { id: number; relative_path: string; file_name: string; status: string; category: string | null; tags: string | null }
type StoredRow = [id: number, sortKey: string, name: string, folder: string, tags: string, category: string];

/**
 * The FTS5 search index: the SQLite-dialect adapter of the search port (hand-written SQL on the raw
 * handle, because FTS5 and its MATCH syntax are SQLite's own). Its rowids are positions in natural order (see search-positions.ts),
 * so a page of matches is read in order and SQLite stops after it, without ranking every match.
 *
 * The FTS5 virtual table `video_search` and the shadow tables SQLite keeps for it (`video_search_data`,
 * `_idx`, `_content`, `_docsize`, `_config`) have no TypeORM entity: no decorator can describe a virtual
 * table, and no code but this adapter may read or write them. The plain tables around the index
 * (`search_dirty`, `search_position`, `search_term`) do have entities.
 */
export class SqliteSearchIndex implements SearchIndexStore {
  private readonly statements = new Map<string, RawStatement>();
  /** Words of the documents written in the current transaction, added to `search_term` at its end. */
  private readonly newWords = new Set<string>();
  private readonly expressions = new WeakMap<SearchQuery, string | null>();

  constructor(private readonly dataSource: DataSource) {}

  takeDirty(): Promise<number[]> {
    return Promise.resolve(this.statement(`DELETE FROM search_dirty RETURNING video_id`).pluck(true).all() as number[]);
  }

  async markDirty(ids: readonly number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      await this.dataSource.query(`INSERT OR IGNORE INTO search_dirty (video_id) VALUES ${batch.map(() => "(?)").join(", ")}`, batch);
    }
  }

  async markAllDirty(): Promise<void> {
    await this.dataSource.query(`INSERT OR IGNORE INTO search_dirty (video_id) SELECT id FROM video`);
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

  replace(ids: readonly number[], documents: readonly SearchDocument[]): Promise<void> {
    this.db().transaction(() => {
      this.newWords.clear();
      const old = this.positionsOf(ids);
      const fresh: SearchDocument[] = [];
      for (const [, { position }] of old) this.statement(`DELETE FROM video_search WHERE rowid = ?`).run(position);
      for (const doc of documents) {
        const before = old.get(doc.id);
        // A video whose sort key is unchanged (a tag edit, say) keeps its place.
        if (before?.sortKey === doc.sortKey) {
          this.insertDocument(doc, before.position);
          old.delete(doc.id);
        } else fresh.push(doc);
      }
      for (const id of old.keys()) this.statement(`DELETE FROM search_position WHERE video_id = ?`).run(id);
      this.place(fresh);
      this.saveWords();
    })();
    return Promise.resolve();
  }

  knownWords(words: readonly string[]): Promise<Set<string>> {
    const lookup = this.statement(`SELECT 1 FROM search_term WHERE term = ?`).pluck(true);
    return Promise.resolve(new Set(words.filter((w) => lookup.get(w) !== undefined)));
  }

  expandPrefixes(prefixes: readonly string[], max: number): Promise<Map<string, string[]>> {
    const lookup = this.statement(`SELECT term FROM search_term WHERE term >= ? AND term < ? ORDER BY term LIMIT ?`).pluck(true);
    const found = new Map<string, string[]>();
    for (const prefix of prefixes) {
      // U+10FFFF sorts after every character, so the range holds exactly the words that start with the prefix.
      const words = lookup.all(prefix, `${prefix}\u{10FFFF}`, max + 1) as string[];
      if (words.length <= max) found.set(prefix, words);
    }
    return Promise.resolve(found);
  }

  match(query: SearchQuery, tier: RelevanceTier, limit: number, offset: number): Promise<number[]> {
    const whole = this.expressionOf(query);
    if (whole === null) return Promise.resolve([]);
    const expression = tierExpression(whole, tier);
    const ids = this.statement(
      `SELECT sp.video_id FROM (SELECT rowid AS position FROM video_search WHERE video_search MATCH ? ORDER BY rowid LIMIT ? OFFSET ?) m
       JOIN search_position sp ON sp.position = m.position ORDER BY sp.position`).pluck(true).all(expression, limit, offset) as number[];
    return Promise.resolve(ids);
  }

  count(query: SearchQuery, tier?: RelevanceTier): Promise<number> {
    const whole = this.expressionOf(query);
    if (whole === null) return Promise.resolve(0);
    const expression = tier === undefined ? whole : tierExpression(whole, tier);
    return Promise.resolve(this.statement(`SELECT count(*) FROM video_search WHERE video_search MATCH ?`).pluck(true).get(expression) as number);
  }

  /** The query as FTS5 text (null: it matches nothing), built once per query object (a search asks with the same one several times). */
  private expressionOf(query: SearchQuery): string | null {
    let expression = this.expressions.get(query);
    if (expression === undefined) this.expressions.set(query, (expression = matchExpression(query.clauses, query.expansions)));
    return expression;
  }

  private positionsOf(ids: readonly number[]): Map<number, { position: number; sortKey: string }> {
    const found = new Map<number, { position: number; sortKey: string }>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const rows = this.db().prepare(`SELECT video_id, position, sort_key FROM search_position WHERE video_id IN (${inList(batch)})`).raw(true).all(...batch) as [number, number, string][];
      for (const [id, position, sortKey] of rows) found.set(id, { position, sortKey });
    }
    return found;
  }

  /** Puts newcomers between their neighbours, or lays the whole index out afresh when they are many or a gap is full. */
  private place(fresh: SearchDocument[]): void {
    if (fresh.length === 0) return;
    fresh.sort(compareOrdered);
    const total = this.statement(`SELECT count(*) FROM search_position`).pluck(true).get() as number;
    if (fresh.length > Math.max(RELAYOUT_MIN, total * RELAYOUT_SHARE)) return this.relayout(fresh);
    const after = this.statement(`SELECT position FROM search_position WHERE (sort_key, video_id) < (?, ?) ORDER BY sort_key DESC, video_id DESC LIMIT 1`).pluck(true);
    const before = this.statement(`SELECT position FROM search_position WHERE (sort_key, video_id) > (?, ?) ORDER BY sort_key, video_id LIMIT 1`).pluck(true);
    const placed: Placed<SearchDocument>[] = fresh.map((doc) => ({ item: doc,
      after: (after.get(doc.sortKey, doc.id) as number | undefined) ?? 0,
      before: (before.get(doc.sortKey, doc.id) as number | undefined) ?? POSITION_LIMIT }));
    const positions = positionsBetween(placed);
    if (positions === null) return this.relayout(fresh);
    for (const [doc, position] of positions) this.insertDocument(doc, position);
  }

  private relayout(fresh: readonly SearchDocument[]): void {
    const stored = this.statement(`SELECT sp.video_id, sp.sort_key, f.name, f.folder, f.tags, f.category
      FROM search_position sp JOIN video_search f ON f.rowid = sp.position`).raw(true).all() as StoredRow[];
    const all: SearchDocument[] = stored.map(([id, sortKey, name, folder, tags, category]) => ({ id, sortKey, name, folder, tags, category }));
    all.push(...fresh);
    all.sort(compareOrdered);
    this.statement(`DELETE FROM video_search`).run();
    this.statement(`DELETE FROM search_position`).run();
    // Words of removed documents linger in the vocabulary (they only cost a lookup) until a new layout drops them.
    this.statement(`DELETE FROM search_term`).run();
    const positions = layout(all.length);
    all.forEach((doc, i) => this.insertDocument(doc, positions[i] as number));
  }

  private insertDocument(doc: SearchDocument, position: number): void {
    this.statement(`INSERT INTO search_position (video_id, position, sort_key) VALUES (?, ?, ?)
      ON CONFLICT (video_id) DO UPDATE SET position = excluded.position, sort_key = excluded.sort_key`).run(doc.id, position, doc.sortKey);
    this.statement(`INSERT INTO video_search (rowid, name, folder, tags, category) VALUES (?, ?, ?, ?, ?)`)
      .run(position, doc.name, doc.folder, doc.tags, doc.category);
    for (const text of [doc.name, doc.folder, doc.tags, doc.category]) {
      // Numbers are matched exactly, never by prefix nor as half of a compound: they need no entry.
      for (const word of text.split(" ")) if (word !== "" && !DIGITS.test(word)) this.newWords.add(word);
    }
  }

  private saveWords(): void {
    const insert = this.statement(`INSERT OR IGNORE INTO search_term (term) VALUES (?)`);
    for (const word of this.newWords) insert.run(word);
    this.newWords.clear();
  }

  private statement(sql: string): RawStatement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db().prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private db(): RawDatabase {
    return rawDatabase(this.dataSource);
  }
}
