// How names, tags, categories and queries become comparable words. The same steps run on both sides.

export type Abbreviations = Readonly<Record<string, string>>;

const NUMBER = /^\d+$/;

/** Splits text into lower-case words: at punctuation and spaces, camelCase, and letter/digit boundaries. */
export function words(text: string): string[] {
  const spaced = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "") // accents: "Übung" is found by "ubung"
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2") // electroStatics
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2") // JEEAdvanced → JEE Advanced
    .replace(/(\p{L})(\p{N})/gu, "$1 $2") // L04
    .replace(/(\p{N})(\p{L})/gu, "$1 $2"); // 04a
  return spaced
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "")
    .map((w) => (NUMBER.test(w) ? String(Number.parseInt(w, 10)) : w)); // numbers by value: 04 = 4
}

/** Words with abbreviations expanded (an expansion may be several words). */
export function expandedWords(text: string, abbreviations: Abbreviations): string[] {
  return words(text).flatMap((w) => {
    const expansion = abbreviations[w];
    return expansion === undefined ? [w] : words(expansion);
  });
}

/**
 * The words a document is indexed under: its words, plus each pair of neighbours joined, so that
 * "Electro Statics" is found by "electrostatics".
 */
export function indexTerms(text: string, abbreviations: Abbreviations): string {
  const list = expandedWords(text, abbreviations);
  const joined = list.slice(1).flatMap((w, i) => (joinable(list[i], w) ? [`${list[i] ?? ""}${w}`] : []));
  return [...list, ...joined].join(" ");
}

const term = (w: string): string => (NUMBER.test(w) ? `"${w}"` : `"${w}"*`);
const HAS_DIGIT = /\d/;

/** Only two words join (compound words); a number never does, or "lecture 4" would find "lecture 40". */
function joinable(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && !HAS_DIGIT.test(a) && !HAS_DIGIT.test(b);
}

/**
 * An FTS5 MATCH expression for a query, or null when it holds no word. Every query word must match:
 * by itself (words by prefix, numbers exactly) or joined with a neighbour, so "electrostatics" finds
 * "ElectroStatics" and "electro statics" finds "Electrostatics". User text never reaches FTS5
 * syntax: only letters and digits are quoted into the expression.
 */
export function matchExpression(query: string, abbreviations: Abbreviations, maxWords = 12): string | null {
  const list = expandedWords(query, abbreviations).slice(0, maxWords);
  if (list.length === 0) return null;
  const clauses = list.map((w, i) => {
    const options = [term(w)];
    const before = list[i - 1];
    const after = list[i + 1];
    if (joinable(before, w)) options.push(term(`${before ?? ""}${w}`));
    if (joinable(w, after)) options.push(term(`${w}${after ?? ""}`));
    return options.length === 1 ? options[0] : `(${options.join(" OR ")})`;
  });
  return clauses.join(" AND ");
}

/** A key that sorts names naturally: "L2" before "L10". */
export function naturalKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, "").padStart(12, "0"));
}
