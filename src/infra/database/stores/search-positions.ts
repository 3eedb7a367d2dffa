// Positions of search documents: integers that follow the natural order of their sort keys, with gaps
// left between neighbours so that most newcomers fit without moving anybody.

/** The largest position: positions stay exact in JavaScript numbers. */
export const POSITION_LIMIT = Number.MAX_SAFE_INTEGER;

export interface Ordered {
  readonly sortKey: string;
  readonly id: number;
}

/**
 * Orders by sort key as SQLite's BINARY collation does (UTF-8 bytes, which is code point order), then
 * by id. JavaScript's `<` compares UTF-16 units, which disagrees for characters above U+FFFF (emoji).
 */
export function compareOrdered(a: Ordered, b: Ordered): number {
  const byKey = compareCodePoints(a.sortKey, b.sortKey);
  return byKey !== 0 ? byKey : a.id - b.id;
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800–DFFF) stands for a code point above U+FFFF, so it sorts after U+E000–FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** `count` positions strictly between `after` and `before`, evenly spread; null when they do not fit. */
export function spread(after: number, before: number, count: number): number[] | null {
  const room = before - after;
  if (room <= count) return null;
  return Array.from({ length: count }, (_, i) => after + Math.floor((room * (i + 1)) / (count + 1)));
}

/** Positions for `count` documents laid out afresh, with the widest equal gaps. */
export function layout(count: number): number[] {
  return spread(0, POSITION_LIMIT, count) ?? [];
}

/** A newcomer and the positions of its neighbours in natural order (0 and POSITION_LIMIT at the ends). */
export interface Placed<T> {
  readonly item: T;
  readonly after: number;
  readonly before: number;
}

/**
 * Positions for newcomers sorted in natural order, each group that shares a gap spread evenly in it;
 * null when a gap is full and the index must be laid out afresh.
 */
export function positionsBetween<T>(placed: readonly Placed<T>[]): Map<T, number> | null {
  const positions = new Map<T, number>();
  for (let start = 0; start < placed.length;) {
    const first = placed[start] as Placed<T>;
    let end = start + 1;
    while (end < placed.length && placed[end]?.after === first.after) end++;
    const gap = spread(first.after, first.before, end - start);
    if (gap === null) return null;
    gap.forEach((position, i) => positions.set((placed[start + i] as Placed<T>).item, position));
    start = end;
  }
  return positions;
}
