import { basename, dirname, extname } from "node:path";
import type { JobHandler } from "../jobs/job.js";
import { indexTerms, naturalKey, queryClauses, vocabularyQuestions, withCompounds, type Abbreviations, type QueryClause } from "./normalise.js";

/** What the index holds about one video, before normalising. */
export interface SearchSource {
  readonly id: number;
  readonly relativePath: string;
  readonly fileName: string;
  readonly tags: readonly string[];
  readonly category: string | null;
  /** Missing videos are taken out of the index. */
  readonly searchable: boolean;
}

export interface SearchDocument {
  readonly id: number;
  readonly name: string;
  readonly folder: string;
  readonly tags: string;
  readonly category: string;
  readonly sortKey: string;
}

/**
 * Relevance tiers, most relevant first: every word in the file name; every word in the name or tags;
 * anywhere (folder, category). Each tier leaves out the ones before it. Within a tier, videos come in
 * natural order of their names. Tiers rather than bm25 scores let the index stop after one page
 * instead of ranking every match.
 */
export type RelevanceTier = "name" | "name-or-tags" | "elsewhere";
export const RELEVANCE_TIERS: readonly RelevanceTier[] = ["name", "name-or-tags", "elsewhere"];

/** A normalised query: a video matches when it matches one way of every clause. */
export interface SearchQuery {
  /** One clause per query word, compounds included (see `withCompounds`). */
  readonly clauses: readonly QueryClause[];
  /** For a prefix, the few indexed words it stands for (none: it matches nothing); absent when many. */
  readonly expansions: ReadonlyMap<string, readonly string[]>;
}

/** The search index and its list of videos to refresh; implemented over SQLite FTS5, and over a tsvector on PostgreSQL. */
export interface SearchIndexStore {
  /** Ids of videos whose words may have changed since the last call; their marks are cleared. */
  takeDirty(): Promise<number[]>;
  markDirty(ids: readonly number[]): Promise<void>;
  /** Marks every video, for when the words of all of them change (an abbreviation edit). */
  markAllDirty(): Promise<void>;
  sources(ids: readonly number[]): Promise<SearchSource[]>;
  /** Replaces the documents of `ids` with `documents` (absent ones are removed). */
  replace(ids: readonly number[], documents: readonly SearchDocument[]): Promise<void>;
  /** Which of these words occur in the index. */
  knownWords(words: readonly string[]): Promise<Set<string>>;
  /** For each prefix, the indexed words that start with it, when there are at most `max`. */
  expandPrefixes(prefixes: readonly string[], max: number): Promise<Map<string, string[]>>;
  /** Ids of videos in one relevance tier of the query, in natural order of their names. */
  match(query: SearchQuery, tier: RelevanceTier, limit: number, offset: number): Promise<number[]>;
  /** How many videos match the query, in one tier or (without one) in all. */
  count(query: SearchQuery, tier?: RelevanceTier): Promise<number>;
}

export type SearchOutcome =
  | { readonly ok: true; readonly total: number; readonly ids: readonly number[] }
  | { readonly ok: false; readonly reason: "no-words" };

/** A prefix standing for more indexed words than this stays an FTS5 prefix query. */
const MAX_EXPANSION = 16;

/** Builds a video's document: its words, the words of its folder, tags and category. */
export function documentFor(source: SearchSource, abbreviations: Abbreviations, memo = new Map<string, string>()): SearchDocument {
  // Folders, tags and categories repeat across videos: pass one memo to a batch to normalise each once.
  const shared = (text: string): string => {
    let terms = memo.get(text);
    if (terms === undefined) memo.set(text, (terms = indexTerms(text, abbreviations)));
    return terms;
  };
  const stem = basename(source.fileName, extname(source.fileName));
  const folder = dirname(source.relativePath);
  return {
    id: source.id,
    name: indexTerms(stem, abbreviations),
    folder: folder === "." ? "" : shared(folder),
    tags: source.tags.map(shared).join(" "),
    category: source.category === null ? "" : shared(source.category),
    // Name first, then folder and extension, so "L4.ts" comes before "L4 (copy).ts" and "L10".
    sortKey: [naturalKey(stem), naturalKey(folder), source.fileName.slice(stem.length).toLowerCase()].join("\u0001"),
  };
}

/** Normalised search over file names, folders, tags and categories. */
export class SearchService {
  constructor(private readonly store: SearchIndexStore, private readonly abbreviations: () => Abbreviations) {}

  /** Brings the index up to date with every change marked since the last refresh; returns how many videos it touched. */
  async refresh(): Promise<number> {
    const ids = await this.store.takeDirty();
    if (ids.length === 0) return 0;
    try {
      const abbreviations = this.abbreviations();
      const sources = await this.store.sources(ids);
      const memo = new Map<string, string>();
      await this.store.replace(ids, sources.filter((s) => s.searchable).map((s) => documentFor(s, abbreviations, memo)));
    } catch (error) {
      await this.store.markDirty(ids); // so the next refresh tries again
      throw error;
    }
    return ids.length;
  }

  /** Re-indexes every video, for when the words of all of them change. */
  async reindexAll(): Promise<number> {
    await this.store.markAllDirty();
    return this.refresh();
  }

  /** The videos matching every word of the query, most relevant first, natural order among equals. */
  async search(query: string, page: { limit: number; offset: number }): Promise<SearchOutcome> {
    const words = queryClauses(query, this.abbreviations());
    if (words.length === 0) return { ok: false, reason: "no-words" };
    await this.refresh();
    const questions = vocabularyQuestions(words);
    const expansions = await this.store.expandPrefixes(questions.prefixes, MAX_EXPANSION);
    const asked: SearchQuery = { clauses: withCompounds(words, { known: await this.store.knownWords(questions.words), expansions }), expansions };
    const total = await this.store.count(asked);
    const ids: number[] = [];
    let skip = page.offset;
    for (const tier of total === 0 ? [] : RELEVANCE_TIERS) {
      const want = page.limit - ids.length;
      if (want <= 0) break;
      const found = await this.store.match(asked, tier, want, skip);
      ids.push(...found);
      // A tier that fills part of the page starts the next one at its top; one wholly before the page is skipped by its size.
      skip = found.length > 0 ? 0 : Math.max(0, skip - (skip > 0 ? await this.store.count(asked, tier) : 0));
    }
    return { ok: true, total, ids };
  }
}

/** The search.refresh job: indexes every video on the out-of-date list, and those listed while it ran. */
export function refreshSearchJob(search: SearchService, logger: { debug(fields: object, message: string): void }): JobHandler<null> {
  return async () => {
    let indexed = 0;
    for (let n = await search.refresh(); n > 0; n = await search.refresh()) indexed += n;
    if (indexed > 0) logger.debug({ indexed }, "search index refreshed");
  };
}
