import { describe, expect, test } from "vitest";
import { DEFAULT_ABBREVIATIONS as ABBR } from "../../src/services/search/abbreviations.js";
import { expandedWords, indexTerms, matchExpression, naturalKey, words } from "../../src/services/search/normalise.js";

describe("words", () => {
  test("split at punctuation, camelCase and letter/digit boundaries; lower-case; numbers by value", () => {
    expect(words("JEE-Adv_Phy-ElectroStatics_L04")).toEqual(["jee", "adv", "phy", "electro", "statics", "l", "4"]);
    expect(words("JEEAdvanced.part2 (final)")).toEqual(["jee", "advanced", "part", "2", "final"]);
    expect(words("Physik Übung 🎬 <&> \"x\"")).toEqual(["physik", "ubung", "x"]);
    expect(words("007 and 0")).toEqual(["7", "and", "0"]);
    expect(words("—!?* 🎬")).toEqual([]);
  });

  test("abbreviations expand, to one word or several", () => {
    expect(expandedWords("JEE-Adv_Phy-ElectroStatics_L04", ABBR)).toEqual(["jee", "advanced", "physics", "electro", "statics", "lecture", "4"]);
    expect(expandedWords("CS rev", ABBR)).toEqual(["computer", "science", "revision"]);
  });
});

describe("index terms and match expressions", () => {
  test("documents are indexed under their words and their joined neighbours", () => {
    const terms = indexTerms("ElectroStatics_L04", ABBR).split(" ");
    expect(terms).toEqual(["electro", "statics", "lecture", "4", "electrostatics", "staticslecture"]);
  });

  test("queries become safe FTS5 expressions; words by prefix, numbers exactly, joins allowed", () => {
    expect(matchExpression("lec 4", ABBR)).toBe(`"lecture"* AND "4"`);
    expect(matchExpression("electro statics", ABBR)).toBe(`("electro"* OR "electrostatics"*) AND ("statics"* OR "electrostatics"*)`);
    expect(matchExpression("electrostatics", ABBR)).toBe(`"electrostatics"*`);
    expect(matchExpression(`"NEAR" * -x AND OR`, ABBR)).toBe(`("near"* OR "nearx"*) AND ("x"* OR "nearx"* OR "xand"*) AND ("and"* OR "xand"* OR "andor"*) AND ("or"* OR "andor"*)`);
    expect(matchExpression("!!! 🎬", ABBR)).toBeNull();
    expect(matchExpression("", ABBR)).toBeNull();
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
