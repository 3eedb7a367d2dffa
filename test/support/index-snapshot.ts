import { STATUS_CODES, type IndexRow, type IndexSnapshot } from "../../src/services/library/scan-plan.js";

/** Builds a snapshot from row objects (the SQLite index builds its columns directly). */
export function snapshotOf(rows: readonly IndexRow[]): IndexSnapshot {
  const roots = [...new Set(rows.map((r) => r.root))];
  return {
    count: rows.length,
    ids: Float64Array.from(rows, (r) => r.id),
    paths: rows.map((r) => r.path),
    rootOf: Uint32Array.from(rows, (r) => roots.indexOf(r.root)),
    roots,
    sizes: Float64Array.from(rows, (r) => r.size),
    mtimes: Float64Array.from(rows, (r) => r.mtimeMs),
    statuses: Uint8Array.from(rows, (r) => STATUS_CODES.indexOf(r.status)),
    probed: Uint8Array.from(rows, (r) => (r.probed ? 1 : 0)),
  };
}
