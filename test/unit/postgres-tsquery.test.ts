import { describe, expect, test } from "vitest";
import { DEFAULT_ABBREVIATIONS as ABBR } from "../../src/services/search/abbreviations.js";
import { queryClauses } from "../../src/services/search/normalise.js";
import { tierTsquery, tsqueryText } from "../../src/infra/database/stores/postgres-tsquery.js";

const of = (query: string, expansions = new Map<string, string[]>()): string | null => tsqueryText(queryClauses(query, ABBR), expansions);

describe("tsquery text for the search port's clauses", () => {
  test("words by prefix, numbers exactly, joins and abbreviations as fts5-query reads them", () => {
    expect(of("l 4")).toBe(`'lecture':* & '4'`);
    expect(of("mod")).toBe(`('module':* | 'mod':*)`);
    expect(of("electro statics")).toBe(`('electro':* | 'electrostatics':*) & ('statics':* | 'electrostatics':*)`);
    expect(of("!!! 🎬")).toBeNull();
  });

  test("a phrase stays within one field: it is asked once per field, under that field's weight", () => {
    expect(of("cs")).toBe(`('computer':A <-> 'science':*A | 'computer':B <-> 'science':*B | 'computer':C <-> 'science':*C | 'computer':D <-> 'science':*D)`);
    expect(tsqueryText([[{ words: ["electro", "stat"], prefix: true }]], new Map(), ["name"])).toBe(`'electro':A <-> 'stat':*A`);
  });

  test("a prefix the index knows few words for becomes those words; none leaves an exact word, or ends a phrase's reading", () => {
    const expansions = new Map([["electro", ["electro", "electrostatics"]], ["statics", []]]);
    expect(of("electro statics 4", expansions)).toBe(`('electro' | 'electrostatics' | 'electrostatics':*) & ('statics' | 'electrostatics':*) & '4'`);
    expect(of("cs physics", new Map([["science", []]]))).toBeNull();
  });

  test("tiers keep to fields and leave out the tiers before them", () => {
    const clauses = queryClauses("optics", ABBR);
    expect(tierTsquery(clauses, new Map())).toBe(`'optics':*`);
    expect(tierTsquery(clauses, new Map(), "name")).toBe(`'optics':*A`);
    expect(tierTsquery(clauses, new Map(), "name-or-tags")).toBe(`('optics':*AC) & !('optics':*A)`);
    expect(tierTsquery(clauses, new Map(), "elsewhere")).toBe(`('optics':*) & !('optics':*AC)`);
  });

  test("quotes and backslashes in a word stay inside its operand", () => {
    expect(tsqueryText([[{ words: [`a'b\\c`], prefix: false }]], new Map())).toBe(`'a''b\\\\c'`);
  });
});
