import { basename } from "node:path";
import type { VideoStatus } from "../../entities/video.js";
import { formatCount, plural } from "../shared/units.js";

/** A video row as the scanner sees it. */
export interface IndexRow {
  readonly id: number;
  readonly path: string;
  readonly root: string;
  readonly fileName: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly status: VideoStatus;
  readonly fingerprint: string | null;
  /** Whether ffprobe described it successfully at some point (so a restored copy needs no new probe). */
  readonly probed: boolean;
}

export interface SeenFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export type RootState = "ok" | "missing" | "unreadable" | "not-a-folder";

export interface RootListing {
  readonly root: string;
  readonly state: RootState;
  readonly reason?: string | undefined;
  readonly files: readonly SeenFile[];
}

/** What one root's listing means for the index, before anything is probed. */
export interface RootPlan {
  readonly root: string;
  readonly state: RootState;
  readonly reason?: string | undefined;
  readonly found: number;
  readonly unchanged: number;
  /** Missing rows whose file is back at the same path, unchanged: no probe needed. */
  readonly restored: IndexRow[];
  /** Known paths whose size or time changed (including missing rows back changed): probe again. */
  readonly changed: { readonly row: IndexRow; readonly file: SeenFile }[];
  readonly added: SeenFile[];
  /** Rows that were present and whose path is gone: missing, unless moved or guarded. */
  readonly vanished: IndexRow[];
  /** Files modified too recently: perhaps still being copied; left for a later scan. */
  readonly settling: SeenFile[];
  /** Rows not already missing before this scan. */
  readonly present: number;
}

// File timestamps come from the kernel's coarse clock and may run a few milliseconds ahead of Date.now().
const CLOCK_SLACK_MS = 2000;

/**
 * A file modified less than settleMs ago may still be being copied. An mtime far in the future (a share
 * whose clock runs ahead) cannot be judged that way and does not hold the file back.
 */
export function isSettling(ageMs: number, settleMs: number): boolean {
  return settleMs > 0 && ageMs > -CLOCK_SLACK_MS && ageMs < settleMs;
}

/**
 * The index as columns: a rescan reads every row, and 100,000 row objects (and their garbage) cost
 * more than the comparison itself. Row objects are made only for the few rows a scan acts on.
 */
export interface IndexSnapshot {
  readonly count: number;
  readonly ids: Float64Array;
  readonly paths: readonly string[];
  /** Index into `roots` for each row. */
  readonly rootOf: Uint32Array;
  readonly roots: readonly string[];
  readonly sizes: Float64Array;
  readonly mtimes: Float64Array;
  /** STATUS_CODES index for each row. */
  readonly statuses: Uint8Array;
  /** 1 when ffprobe has described the file. */
  readonly probed: Uint8Array;
}

export const STATUS_CODES: readonly VideoStatus[] = ["indexed", "unreadable", "missing"];
const MISSING = STATUS_CODES.indexOf("missing");

/** A row object for one position; its fingerprint is filled in only where a scan needs it. */
export function rowAt(snapshot: IndexSnapshot, i: number): IndexRow {
  const path = snapshot.paths[i] ?? "";
  return {
    id: snapshot.ids[i] ?? 0, path, root: snapshot.roots[snapshot.rootOf[i] ?? 0] ?? "", fileName: basename(path),
    size: snapshot.sizes[i] ?? 0, mtimeMs: snapshot.mtimes[i] ?? 0, status: STATUS_CODES[snapshot.statuses[i] ?? 0] ?? "indexed",
    fingerprint: null, probed: snapshot.probed[i] === 1,
  };
}

/** The snapshot with its rows findable by path, and a mark for each row a listing has seen. */
export class IndexLookup {
  readonly byPath = new Map<string, number>();
  readonly seen: Uint8Array;

  constructor(readonly snapshot: IndexSnapshot) {
    snapshot.paths.forEach((path, i) => this.byPath.set(path, i));
    this.seen = new Uint8Array(snapshot.count);
  }

  /** Ready for another scan of the same index. */
  reset(): this {
    this.seen.fill(0);
    return this;
  }

  /** Positions of the rows with status missing, in any root. */
  missingRows(): IndexRow[] {
    const rows: IndexRow[] = [];
    for (let i = 0; i < this.snapshot.count; i++) if (this.snapshot.statuses[i] === MISSING) rows.push(rowAt(this.snapshot, i));
    return rows;
  }
}

/** Compares one root's listing with the index. */
export function planRoot(listing: RootListing, lookup: IndexLookup, now: number, settleMs: number): RootPlan {
  const { snapshot, byPath, seen } = lookup;
  const plan = {
    root: listing.root, state: listing.state, reason: listing.reason, found: listing.files.length, unchanged: 0,
    restored: [] as IndexRow[], changed: [] as { row: IndexRow; file: SeenFile }[], added: [] as SeenFile[],
    vanished: [] as IndexRow[], settling: [] as SeenFile[], present: 0,
  };
  for (const file of listing.files) {
    const at = byPath.get(file.path);
    if (at !== undefined) seen[at] = 1;
    const same = at !== undefined && snapshot.sizes[at] === file.size && snapshot.mtimes[at] === file.mtimeMs;
    if (same) {
      if (snapshot.statuses[at] !== MISSING) plan.unchanged++;
      else if (snapshot.probed[at] === 1) plan.restored.push(rowAt(snapshot, at));
      else plan.changed.push({ row: rowAt(snapshot, at), file });
    } else if (isSettling(now - file.mtimeMs, settleMs)) {
      plan.settling.push(file);
    } else if (at !== undefined) {
      plan.changed.push({ row: rowAt(snapshot, at), file });
    } else {
      plan.added.push(file);
    }
  }
  const rootIndex = snapshot.roots.indexOf(listing.root);
  for (let i = 0; i < snapshot.count; i++) {
    if (snapshot.rootOf[i] !== rootIndex || snapshot.statuses[i] === MISSING) continue;
    plan.present++;
    if (seen[i] === 0) plan.vanished.push(rowAt(snapshot, i));
  }
  return plan;
}

export interface GuardDecision {
  readonly blocked: boolean;
  readonly reason?: string;
}

/**
 * An unmounted share must never wipe the library: when a root is gone, unreadable or empty while the
 * index holds files for it, or too large a share of it would go missing at once, nothing is marked missing.
 */
export function guardRoot(plan: RootPlan, wouldMarkMissing: number, maxMissingShare: number): GuardDecision {
  if (plan.present === 0 || wouldMarkMissing === 0) return { blocked: false };
  if (plan.state === "missing") return { blocked: true, reason: "the folder is gone (is the share mounted?)" };
  if (plan.state === "unreadable") return { blocked: true, reason: `the folder cannot be read (${plan.reason ?? "unknown error"})` };
  if (plan.state === "not-a-folder") return { blocked: true, reason: "the path is no longer a folder" };
  if (plan.found === 0) return { blocked: true, reason: "the folder is empty (is the share mounted?)" };
  const share = wouldMarkMissing / plan.present;
  if (share > maxMissingShare) {
    return { blocked: true, reason: `${formatCount(wouldMarkMissing)} of ${plural(plan.present, "file")} (${Math.round(share * 100)} %) would be marked missing, over the ${Math.round(maxMissingShare * 100)} % limit` };
  }
  return { blocked: false };
}

/**
 * Pairs newly found files with rows that disappeared (or were already missing) by content fingerprint,
 * one to one, preferring a row with the same file name. Returns new-file index → row.
 */
export function matchMoves(added: readonly { readonly fileName: string; readonly fingerprint: string }[], candidates: readonly IndexRow[]): Map<number, IndexRow> {
  const pool = new Map<string, IndexRow[]>();
  for (const row of candidates) {
    if (row.fingerprint === null) continue;
    pool.set(row.fingerprint, [...(pool.get(row.fingerprint) ?? []), row]);
  }
  const matches = new Map<number, IndexRow>();
  added.forEach((file, i) => {
    const rows = pool.get(file.fingerprint);
    if (rows === undefined || rows.length === 0) return;
    const at = Math.max(0, rows.findIndex((r) => r.fileName === file.fileName));
    const [row] = rows.splice(at, 1);
    if (row !== undefined) matches.set(i, row);
  });
  return matches;
}
