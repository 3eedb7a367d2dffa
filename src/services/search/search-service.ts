import { basename, dirname, extname } from "node:path";
import { indexTerms, matchExpression, naturalKey, type Abbreviations } from "./normalise.js";

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

/** The FTS5 index and its list of videos to refresh; implemented over SQLite. */
export interface SearchIndexStore {
  /** Ids of videos whose words may have changed, at most `limit`. */
  dirty(limit: number): Promise<number[]>;
  sources(ids: readonly number[]): Promise<SearchSource[]>;
  /** Replaces the documents of `ids` with `documents` (absent ones are removed) and clears their dirty marks. */
  replace(ids: readonly number[], documents: readonly SearchDocument[]): Promise<void>;
  match(expression: string, limit: number, offset: number): Promise<number[]>;
  count(expression: string): Promise<number>;
}

export type SearchOutcome =
  | { readonly ok: true; readonly total: number; readonly ids: readonly number[] }
  | { readonly ok: false; readonly reason: "no-words" };

const REFRESH_BATCH = 5000;

/** Builds a video's document: its words, the words of its folder, tags and category. */
export function documentFor(source: SearchSource, abbreviations: Abbreviations): SearchDocument {
  const stem = basename(source.fileName, extname(source.fileName));
  const folder = dirname(source.relativePath);
  return {
    id: source.id,
    name: indexTerms(stem, abbreviations),
    folder: folder === "." ? "" : indexTerms(folder, abbreviations),
    tags: source.tags.map((t) => indexTerms(t, abbreviations)).join(" "),
    category: source.category === null ? "" : indexTerms(source.category, abbreviations),
    sortKey: naturalKey(source.fileName),
  };
}

/** Normalised search over file names, folders, tags and categories. */
export class SearchService {
  constructor(private readonly store: SearchIndexStore, private readonly abbreviations: () => Abbreviations) {}

  /** Brings the index up to date with every change marked since the last refresh; returns how many videos it touched. */
  async refresh(): Promise<number> {
    let touched = 0;
    for (;;) {
      const ids = await this.store.dirty(REFRESH_BATCH);
      if (ids.length === 0) return touched;
      const abbreviations = this.abbreviations();
      const sources = await this.store.sources(ids);
      await this.store.replace(ids, sources.filter((s) => s.searchable).map((s) => documentFor(s, abbreviations)));
      touched += ids.length;
    }
  }

  /** The videos matching every word of the query, most relevant first, natural order among equals. */
  async search(query: string, page: { limit: number; offset: number }): Promise<SearchOutcome> {
    const expression = matchExpression(query, this.abbreviations());
    if (expression === null) return { ok: false, reason: "no-words" };
    await this.refresh();
    const [ids, total] = await Promise.all([this.store.match(expression, page.limit, page.offset), this.store.count(expression)]);
    return { ok: true, total, ids };
  }
}
