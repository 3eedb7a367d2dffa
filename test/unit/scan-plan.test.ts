import { describe, expect, test } from "vitest";
import { guardRoot, IndexLookup, matchMoves, planRoot, type IndexRow, type RootListing } from "../../src/services/library/scan-plan.js";
import { snapshotOf } from "../support/index-snapshot.js";

const row = (id: number, path: string, extra: Partial<IndexRow> = {}): IndexRow =>
  ({ id, path, root: "/r", fileName: path.split("/").pop()!, size: 10, mtimeMs: 1000, status: "indexed", fingerprint: `fp${id}`, probed: true, ...extra });
const listing = (files: [string, number, number][], state: RootListing["state"] = "ok"): RootListing =>
  ({ root: "/r", state, files: files.map(([path, size, mtimeMs]) => ({ path, size, mtimeMs })) });

describe("planRoot", () => {
  test("sorts files into unchanged, changed, new, restored, vanished and settling", () => {
    const rows = [row(1, "/r/same"), row(2, "/r/grew"), row(3, "/r/back", { status: "missing" }), row(4, "/r/gone"),
      row(5, "/r/back-unprobed", { status: "missing", probed: false }), row(6, "/r/was-missing", { status: "missing" })];
    const plan = planRoot(listing([["/r/same", 10, 1000], ["/r/grew", 20, 2000], ["/r/back", 10, 1000], ["/r/new", 5, 1000],
      ["/r/fresh", 5, 99_500], ["/r/back-unprobed", 10, 1000], ["/r/future", 5, 200_000], ["/r/just-now", 5, 100_001]]), new IndexLookup(snapshotOf(rows)), 100_000, 1000);
    expect(plan.unchanged).toBe(1);
    expect(plan.changed.map((c) => c.row.id)).toEqual([2, 5]);
    expect(plan.restored.map((r) => r.id)).toEqual([3]);
    expect(plan.added.map((f) => f.path)).toEqual(["/r/new", "/r/future"]);
    expect(plan.settling.map((f) => f.path)).toEqual(["/r/fresh", "/r/just-now"]);
    expect(plan.vanished.map((r) => r.id)).toEqual([4]);
    expect(plan.vanished[0]).toEqual({ ...rows[3], fingerprint: null });
    expect(plan.present).toBe(3);
  });
});

describe("guardRoot", () => {
  const plan = (state: RootListing["state"], found: number, present: number) =>
    ({ ...planRoot(listing([], state), new IndexLookup(snapshotOf([])), 0, 0), found, present });
  test("blocks a gone, unreadable, replaced or empty root that the index holds files for", () => {
    expect(guardRoot(plan("missing", 0, 5), 5, 0.2)).toMatchObject({ blocked: true });
    expect(guardRoot({ ...plan("unreadable", 0, 5), reason: "EACCES" }, 5, 0.2)).toEqual({ blocked: true, reason: "the folder cannot be read (EACCES)" });
    expect(guardRoot(plan("not-a-folder", 0, 5), 5, 0.2)).toMatchObject({ blocked: true });
    expect(guardRoot(plan("ok", 0, 5), 5, 0.2)).toMatchObject({ blocked: true, reason: "the folder is empty (is the share mounted?)" });
  });
  test("allows up to the share, blocks beyond it, and ignores roots with nothing indexed", () => {
    expect(guardRoot(plan("ok", 8, 10), 2, 0.2)).toEqual({ blocked: false });
    expect(guardRoot(plan("ok", 7, 10), 3, 0.2)).toMatchObject({ blocked: true });
    expect(guardRoot(plan("missing", 0, 0), 0, 0.2)).toEqual({ blocked: false });
    expect(guardRoot(plan("ok", 10, 10), 0, 0.2)).toEqual({ blocked: false });
  });
});

describe("matchMoves", () => {
  test("pairs by fingerprint one to one, preferring the same file name", () => {
    const candidates = [row(1, "/r/a/x.mp4", { fingerprint: "F" }), row(2, "/r/b/y.mp4", { fingerprint: "F" }), row(3, "/r/z.mp4", { fingerprint: "G" })];
    const matches = matchMoves([{ fileName: "y.mp4", fingerprint: "F" }, { fileName: "q.mp4", fingerprint: "F" }, { fileName: "q.mp4", fingerprint: "F" }, { fileName: "n.mp4", fingerprint: "H" }], candidates);
    expect(matches.get(0)?.id).toBe(2);
    expect(matches.get(1)?.id).toBe(1);
    expect(matches.has(2)).toBe(false);
    expect(matches.has(3)).toBe(false);
  });
});
