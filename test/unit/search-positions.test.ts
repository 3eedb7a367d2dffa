import { describe, expect, test } from "vitest";
import { compareOrdered, layout, POSITION_LIMIT, spread } from "../../src/infra/database/stores/search-positions.js";

describe("compareOrdered", () => {
  test("orders as UTF-8 bytes do, then by id", () => {
    const keys = ["b", "a", "\u{1F3AC}", "\uFB01", "a", "é", "a b"];
    const sorted = keys.map((sortKey, id) => ({ sortKey, id })).sort(compareOrdered);
    const byBytes = [...keys.entries()].sort(([i, a], [j, b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)) || i - j);
    expect(sorted.map((o) => o.id)).toEqual(byBytes.map(([i]) => i));
    // The emoji (above U+FFFF) sorts after U+FB01, although its UTF-16 surrogate is smaller.
    expect(sorted.map((o) => o.sortKey).slice(-2)).toEqual(["\uFB01", "\u{1F3AC}"]);
  });
});

describe("spread", () => {
  test("places newcomers strictly between neighbours, in order", () => {
    const positions = spread(100, 200, 3);
    expect(positions).toEqual([125, 150, 175]);
  });
  test("refuses when the gap is too narrow", () => {
    expect(spread(100, 103, 3)).toBeNull();
    expect(spread(100, 104, 3)).toEqual([101, 102, 103]);
  });
  test("a fresh layout leaves wide gaps and stays within exact integers", () => {
    const positions = layout(100_000);
    expect(positions).toHaveLength(100_000);
    expect(positions.every((p, i) => Number.isSafeInteger(p) && p > (positions[i - 1] ?? 0))).toBe(true);
    expect(positions.at(-1)).toBeLessThan(POSITION_LIMIT);
    expect((positions[1] ?? 0) - (positions[0] ?? 0)).toBeGreaterThan(2 ** 30);
  });
});
