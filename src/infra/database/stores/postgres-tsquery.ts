// PostgreSQL tsquery text for the search port's typed queries. Only the PostgreSQL search adapter builds it.
import type { QueryClause } from "../../../services/search/normalise.js";
import type { RelevanceTier } from "../../../services/search/search-service.js";

/** The weight each field of a document is indexed under (see PostgresSearchIndex1763600000028). */
export type Field = "name" | "folder" | "tags" | "category";
const WEIGHT: Readonly<Record<Field, string>> = { name: "A", folder: "B", tags: "C", category: "D" };
const EVERY_FIELD: readonly Field[] = ["name", "folder", "tags", "category"];

/** A word as a tsquery operand: quoted, so user text never becomes an operator. */
function operand(word: string, prefix: boolean, weights: string): string {
  const quoted = `'${word.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
  const label = `${prefix ? "*" : ""}${weights}`;
  return label === "" ? quoted : `${quoted}:${label}`;
}

/**
 * Words in sequence within one field, the last by prefix when asked: as FTS5 matches a phrase, which
 * never runs from one column into the next. The fields' words follow one another in the tsvector, so a
 * phrase is asked once per field, each of its words under that field's weight.
 */
function phrase(words: readonly string[], prefix: boolean, fields: readonly Field[]): string {
  const last = words.length - 1;
  if (last === 0) return operand(words[0] ?? "", prefix, fields.length === EVERY_FIELD.length ? "" : fields.map((f) => WEIGHT[f]).join(""));
  const perField = fields.map((f) => words.map((w, i) => operand(w, prefix && i === last, WEIGHT[f])).join(" <-> "));
  return perField.length === 1 ? (perField[0] ?? "") : `(${perField.join(" | ")})`;
}

/**
 * A tsquery matching videos that match one way of every clause within `fields`, or null when it can
 * match nothing. The same reading as fts5-query.ts's `matchExpression`: a prefix with an entry in
 * `expansions` becomes those exact words (a few words are cheaper to look up than a prefix range); one
 * with no indexed word stays an exact word that matches nothing, or leaves its clause when it ends a phrase.
 */
export function tsqueryText(clauses: readonly QueryClause[], expansions: ReadonlyMap<string, readonly string[]>, fields: readonly Field[] = EVERY_FIELD): string | null {
  if (clauses.length === 0) return null;
  const parts: string[] = [];
  for (const clause of clauses) {
    const options = [...new Set(clause.flatMap((t) => {
      if (!t.prefix) return [phrase(t.words, false, fields)];
      const head = t.words.slice(0, -1);
      const exact = expansions.get(t.words.at(-1) ?? "");
      if (exact === undefined) return [phrase(t.words, true, fields)];
      if (exact.length === 0) return head.length === 0 ? [phrase(t.words, false, fields)] : [];
      return exact.map((w) => phrase([...head, w], false, fields));
    }))];
    // A word none of whose readings can match: neither can the query.
    if (options.length === 0) return null;
    parts.push(options.length === 1 ? (options[0] ?? "") : `(${options.join(" | ")})`);
  }
  return parts.join(" & ");
}

/**
 * The tsquery of one relevance tier, or null when it matches nothing: every word in the file name;
 * every word in the name or tags but not all in the name; anywhere else. As fts5-query.ts's
 * `tierExpression`, each tier leaves out the ones before it.
 */
export function tierTsquery(clauses: readonly QueryClause[], expansions: ReadonlyMap<string, readonly string[]>, tier?: RelevanceTier): string | null {
  const within = (fields?: readonly Field[]): string | null => tsqueryText(clauses, expansions, fields);
  const but = (wanted: string | null, before: string | null): string | null =>
    wanted === null ? null : before === null ? wanted : `(${wanted}) & !(${before})`;
  switch (tier) {
    case undefined: return within();
    case "name": return within(["name"]);
    case "name-or-tags": return but(within(["name", "tags"]), within(["name"]));
    case "elsewhere": return but(within(), within(["name", "tags"]));
  }
}
