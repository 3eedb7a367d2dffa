import { describe, expect, test } from "vitest";
import { backoffFor, jobKind } from "../../src/services/jobs/job.js";

describe("job backoff", () => {
  test("attempt n waits the table's n-th entry, and the last entry once the table runs out", () => {
    const uploads = { backoffMs: [5_000, 15_000, 45_000] };
    expect([1, 2, 3, 4, 9].map((attempt) => backoffFor(uploads, attempt))).toEqual([5_000, 15_000, 45_000, 45_000, 45_000]);
    expect(backoffFor({ backoffMs: [] }, 1)).toBe(0);
  });

  test("a kind needs at least one attempt and a lease", () => {
    expect(() => jobKind({ name: "x", maxAttempts: 0, backoffMs: [], leaseMs: 1000 })).toThrow(/maxAttempts/);
    expect(() => jobKind({ name: "x", maxAttempts: 1, backoffMs: [], leaseMs: 0 })).toThrow(/leaseMs/);
  });
});
