// How names, tags, categories and queries become comparable words. The same steps run on both sides.

export type Abbreviations = Readonly<Record<string, string>>;

const NUMBER = /^\d+$/;

/** Splits text into lower-case words: at punctuation and spaces, camelCase, and letter/digit boundaries. */
export function words(text: string): string[] {
  // Most names are ASCII; their own patterns are several times faster than Unicode property classes.
  const ascii = ASCII.test(text);
  const plain = ascii ? text : text.normalize("NFKD").replace(/\p{M}+/gu, ""); // accents: "Übung" is found by "ubung"
  const lower = plain.replace(ascii ? ASCII_BOUNDARY : BOUNDARY, "$& ").toLowerCase();
  // A final sigma is the same letter as σ (SQLite's tokenizer folds it too), so "σοφίας" and "ΣΟΦΊΑΣ" are one word.
  return (ascii ? lower : lower.replaceAll("ς", "σ"))
    .split(ascii ? ASCII_SEPARATOR : SEPARATOR)
    .filter((w) => w !== "")
    .map((w) => (NUMBER.test(w) ? w.replace(LEADING_ZEROS, "") : w)); // numbers by value: 04 = 4
}

const ASCII = /^[ -~]*$/; // printable ASCII; anything else takes the Unicode path
// A word ends before a capital that follows a small letter (electroStatics), before the last capital
// of an acronym that a word follows (JEEAdvanced), and where letters meet digits (L04, 04a).
const BOUNDARY = /\p{Ll}(?=\p{Lu})|\p{Lu}(?=\p{Lu}\p{Ll})|\p{L}(?=\p{N})|\p{N}(?=\p{L})/gu;
const ASCII_BOUNDARY = /[a-z](?=[A-Z])|[A-Z](?=[A-Z][a-z])|[A-Za-z](?=[0-9])|[0-9](?=[A-Za-z])/g;
const SEPARATOR = /[^\p{L}\p{N}]+/u;
const ASCII_SEPARATOR = /[^a-z0-9]+/;
const LEADING_ZEROS = /^0+(?=\d)/;

/** Words with abbreviations expanded (an expansion may be several words). */
export function expandedWords(text: string, abbreviations: Abbreviations): string[] {
  const expansions = expansionsOf(abbreviations);
  const out: string[] = [];
  for (const w of words(text)) {
    const expansion = expansions.get(w);
    if (expansion === undefined) out.push(w);
    else out.push(...expansion);
  }
  return out;
}

const expansionCache = new WeakMap<Abbreviations, Map<string, string[]>>();

/** Each abbreviation's expansion as words, worked out once per dictionary. */
function expansionsOf(abbreviations: Abbreviations): Map<string, string[]> {
  let expansions = expansionCache.get(abbreviations);
  if (expansions === undefined) {
    expansions = new Map(Object.entries(abbreviations).map(([short, long]) => [short, words(long)]));
    expansionCache.set(abbreviations, expansions);
  }
  return expansions;
}

/** The words a document is indexed under, as one space-separated text. */
export function indexTerms(text: string, abbreviations: Abbreviations): string {
  return expandedWords(text, abbreviations).join(" ");
}

const HAS_DIGIT = /\d/;
/** Shortest half of a split compound; shorter halves would read almost any word as two. */
const MIN_PART = 2;

/** Only two words join (compound words); a number never does, or "lecture 4" would find "lecture 40". */
function joinable(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && !HAS_DIGIT.test(a) && !HAS_DIGIT.test(b);
}

/**
 * One way a query word can match: indexed words in sequence (one word, or two for a compound read
 * apart), the last of them by prefix unless it is a number.
 */
export interface QueryTerm {
  readonly words: readonly string[];
  readonly prefix: boolean;
}

/** The ways one query word can match, the word itself first; a video must match one way of every word. */
export type QueryClause = readonly QueryTerm[];

/** What the index holds, as far as a query needs to know. */
export interface Vocabulary {
  /** Which of the asked words occur exactly. */
  readonly known: ReadonlySet<string>;
  /** For each asked prefix, the indexed words that start with it, when they are few; absent when many. */
  readonly expansions: ReadonlyMap<string, readonly string[]>;
}

/** An abbreviation at least this long is also matched as written ("mod" is module, but also modern). */
const LITERAL_ABBREVIATION = 3;

/**
 * The clauses of a query, one per word: the word by itself (by prefix, numbers exactly; an
 * abbreviation by its expansion) or joined with a neighbour, so "electro statics" finds
 * "Electrostatics". Empty when the query holds no word.
 */
export function queryClauses(query: string, abbreviations: Abbreviations, maxWords = 12): QueryClause[] {
  const expansions = expansionsOf(abbreviations);
  const units = words(query).slice(0, maxWords).map((literal) => ({ literal, expanded: expansions.get(literal) ?? [literal] }));
  const term = (text: string): QueryTerm => ({ words: [text], prefix: !NUMBER.test(text) });
  return units.map(({ literal, expanded }, i) => {
    const options: QueryTerm[] = [{ words: expanded, prefix: !NUMBER.test(expanded.at(-1) ?? "") }];
    const w = expanded.length === 1 ? expanded[0] : undefined;
    const before = units[i - 1]?.expanded.at(-1);
    const after = units[i + 1]?.expanded[0];
    if (w !== undefined && joinable(before, w)) options.push(term(`${before ?? ""}${w}`));
    if (w !== undefined && joinable(w, after)) options.push(term(`${w}${after ?? ""}`));
    if (expanded.join(" ") !== literal && literal.length >= LITERAL_ABBREVIATION) options.push(term(literal));
    return options;
  });
}

/**
 * Ways to read a query word as two words written together: "electrostatics" as electro + statics.
 * When the word is a prefix its second half may be a single letter ("datas": data + s…).
 */
export function splitsOf(word: string, prefix = true): [string, string][] {
  if (HAS_DIGIT.test(word)) return [];
  const out: [string, string][] = [];
  for (let i = MIN_PART; i <= word.length - (prefix ? 1 : MIN_PART); i++) out.push([word.slice(0, i), word.slice(i)]);
  return out;
}

/** What a query must ask the index: exact words (first halves of compounds) and prefixes. */
export function vocabularyQuestions(clauses: readonly QueryClause[]): { words: string[]; prefixes: string[] } {
  const words = new Set<string>();
  const prefixes = new Set<string>();
  for (const clause of clauses) {
    for (const t of clause) if (t.prefix) prefixes.add(t.words.at(-1) ?? "");
    const first = clause[0];
    if (first?.words.length !== 1) continue;
    for (const [a, b] of splitsOf(first.words[0] ?? "", first.prefix)) { words.add(a); prefixes.add(b); }
  }
  return { words: [...words], prefixes: [...prefixes] };
}

/** Adds to each word the compounds it can be read as, where the index holds both halves ("electro statics"). */
export function withCompounds(clauses: readonly QueryClause[], vocabulary: Vocabulary): QueryClause[] {
  const startsAWord = (p: string): boolean => (vocabulary.expansions.get(p)?.length ?? 1) > 0;
  return clauses.map((clause) => {
    const first = clause[0];
    if (first?.words.length !== 1) return clause;
    const compounds = splitsOf(first.words[0] ?? "", first.prefix)
      .filter(([a, b]) => vocabulary.known.has(a) && startsAWord(b))
      .map(([a, b]): QueryTerm => ({ words: [a, b], prefix: first.prefix }));
    return [...clause, ...compounds];
  });
}

/** A key that sorts names naturally: "L2" before "L10". */
export function naturalKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, "").padStart(12, "0"));
}
