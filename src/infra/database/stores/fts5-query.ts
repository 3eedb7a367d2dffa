// FTS5 MATCH syntax for the search port's typed queries. Only the SQLite search adapter builds it.
import type { QueryClause } from "../../../services/search/normalise.js";
import type { RelevanceTier } from "../../../services/search/search-service.js";

/**
 * An FTS5 MATCH expression for the clauses, or null when there are none or they can match nothing. A prefix with an entry in
 * `expansions` becomes those exact words (FTS5 reads a few exact words far faster than a prefix whose
 * words it must merge); others stay prefix queries. User text never reaches FTS5 syntax: only letters
 * and digits are quoted into the expression.
 */
export function matchExpression(clauses: readonly QueryClause[], expansions: ReadonlyMap<string, readonly string[]> = new Map()): string | null {
  if (clauses.length === 0) return null;
  const phrase = (words: readonly string[]): string => `"${words.join(" ")}"`;
  const parts = clauses.map((clause) => {
    const options = [...new Set(clause.flatMap((t) => {
      if (!t.prefix) return [phrase(t.words)];
      const head = t.words.slice(0, -1);
      const exact = expansions.get(t.words.at(-1) ?? "");
      if (exact === undefined) return [`${phrase(t.words)}*`];
      // No indexed word starts with it: a single word stays as an exact word that matches nothing.
      if (exact.length === 0) return head.length === 0 ? [phrase(t.words)] : [];
      return exact.map((w) => phrase([...head, w]));
    }))];
    return options.length <= 1 ? options[0] : `(${options.join(" OR ")})`;
  });
  // A word none of whose readings can match ("cs" when no indexed word starts with "science"): neither can the query.
  return parts.includes(undefined) ? null : parts.join(" AND ");
}

/**
 * The expression restricted to one relevance tier: every word in the file name; every word in the
 * name or tags but not all in the name; anywhere else (folder, category). Each tier leaves out the
 * ones before it, so a video is in exactly one.
 */
export function tierExpression(expression: string, tier: RelevanceTier): string {
  const inName = `{name} : (${expression})`;
  const inNameOrTags = `{name tags} : (${expression})`;
  switch (tier) {
    case "name": return inName;
    case "name-or-tags": return `(${inNameOrTags}) NOT (${inName})`;
    case "elsewhere": return `(${expression}) NOT (${inNameOrTags})`;
  }
}
