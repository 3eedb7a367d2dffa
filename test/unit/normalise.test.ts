import { describe, expect, test } from "vitest";
import { DEFAULT_ABBREVIATIONS as ABBR } from "../../src/services/search/abbreviations.js";
import { matchExpression as expressionOf } from "../../src/infra/database/stores/fts5-query.js";
import { expandedWords, indexTerms, naturalKey, queryClauses, splitsOf, vocabularyQuestions, withCompounds, words } from "../../src/services/search/normalise.js";

const matchExpression = (query: string, abbreviations: Record<string, string>, maxWords?: number): string | null =>
  expressionOf(queryClauses(query, abbreviations, maxWords));

describe("words", () => {
  test("split at punctuation, camelCase and letter/digit boundaries; lower-case; numbers by value", () => {
    expect(words("JEE-Adv_Phy-ElectroStatics_L04")).toEqual(["jee", "adv", "phy", "electro", "statics", "l", "4"]);
    expect(words("JEEAdvanced.part2 (final)")).toEqual(["jee", "advanced", "part", "2", "final"]);
    expect(words("Physik Übung 🎬 <&> \"x\"")).toEqual(["physik", "ubung", "x"]);
    expect(words("007 and 0")).toEqual(["7", "and", "0"]);
    expect(words("—!?* 🎬")).toEqual([]);
    // A final sigma is σ, as SQLite's tokenizer reads it; upper case lowers to either.
    expect(words("ΣΟΦΊΑΣ σοφίας")).toEqual(["σοφιασ", "σοφιασ"]);
  });

  test("abbreviations expand, to one word or several", () => {
    expect(expandedWords("JEE-Adv_Phy-ElectroStatics_L04", ABBR)).toEqual(["jee", "advanced", "physics", "electro", "statics", "lecture", "4"]);
    expect(expandedWords("CS rev", ABBR)).toEqual(["computer", "science", "revision"]);
  });
});

describe("index terms and match expressions", () => {
  test("documents are indexed under their expanded words", () => {
    expect(indexTerms("ElectroStatics_L04", ABBR)).toBe("electro statics lecture 4");
  });

  test("queries become safe FTS5 expressions; words by prefix, numbers exactly, joins allowed", () => {
    expect(matchExpression("l 4", ABBR)).toBe(`"lecture"* AND "4"`);
    // An abbreviation of three letters or more is also matched as written: "mod" is module, or modern.
    expect(matchExpression("mod", ABBR)).toBe(`("module"* OR "mod"*)`);
    expect(matchExpression("cs", ABBR)).toBe(`"computer science"*`);
    expect(expressionOf([[{ words: ["electro", "stat"], prefix: true }]])).toBe(`"electro stat"*`);
    expect(matchExpression("electro statics", ABBR)).toBe(`("electro"* OR "electrostatics"*) AND ("statics"* OR "electrostatics"*)`);
    expect(matchExpression("electrostatics", ABBR)).toBe(`"electrostatics"*`);
    expect(matchExpression(`"NEAR" * -x AND OR`, ABBR)).toBe(`("near"* OR "nearx"*) AND ("x"* OR "nearx"* OR "xand"*) AND ("and"* OR "xand"* OR "andor"*) AND ("or"* OR "andor"*)`);
    expect(matchExpression("!!! 🎬", ABBR)).toBeNull();
    expect(matchExpression("", ABBR)).toBeNull();
  });

  test("prefixes the index knows few words for become those exact words", () => {
    const clauses = queryClauses("electro statics 4", ABBR);
    const expansions = new Map([["electro", ["electro", "electrostatics"]], ["electrostatics", ["electrostatics"]], ["statics", []]]);
    // "statics" has no indexed word: it stays an exact word that matches nothing, never a prefix query.
    expect(expressionOf(clauses, expansions)).toBe(`("electro" OR "electrostatics") AND ("statics" OR "electrostatics") AND "4"`);
    expect(expressionOf([])).toBeNull();
    // "cs" is "computer science"; with no indexed word starting with "science" the query can match nothing.
    expect(expressionOf(queryClauses("cs physics", ABBR), new Map([["science", []]]))).toBeNull();
  });

  test("a word the index holds as two words written apart also matches them as a phrase", () => {
    expect(splitsOf("abcde", false)).toEqual([["ab", "cde"], ["abc", "de"]]);
    expect(splitsOf("abcde")).toEqual([["ab", "cde"], ["abc", "de"], ["abcd", "e"]]); // a prefix may end in one letter
    expect(splitsOf("l4x")).toEqual([]);
    const clauses = queryClauses("electrostatics 4", ABBR);
    const questions = vocabularyQuestions(clauses);
    expect(questions.words).toContain("electro");
    expect(questions.prefixes).toEqual(expect.arrayContaining(["electrostatics", "statics", "trostatics"]));
    const expansions = new Map([["electrostatics", []], ["statics", ["statics", "staticsnotes"]], ["trostatics", []]]);
    const expression = expressionOf(withCompounds(clauses, { known: new Set(["electro", "elec"]), expansions }), expansions);
    // "elec" + "trostatics" is not read: no indexed word starts with "trostatics".
    expect(expression).toBe(`("electrostatics" OR "electro statics" OR "electro staticsnotes") AND "4"`);
  });

  test("very long queries are cut to a bounded number of words", () => {
    const expr = matchExpression("word ".repeat(60), ABBR) ?? "";
    expect(expr.split(" AND ")).toHaveLength(12);
  });
});

test("natural order puts L2 before L10 and ignores leading zeros", () => {
  const names = ["L10.mp4", "L2.mp4", "L02b.mp4", "l1.mp4"];
  expect([...names].sort((a, b) => naturalKey(a).localeCompare(naturalKey(b)))).toEqual(["l1.mp4", "L2.mp4", "L02b.mp4", "L10.mp4"]);
});
