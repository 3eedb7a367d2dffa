import { join } from "node:path";
import { isSettling } from "../library/scan-plan.js";
import { formatCount } from "../shared/units.js";

/** A file under a sync folder, by its path relative to the folder ("/" separated). */
export interface SyncFile {
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface SyncPlan {
  /** New in the source, or changed there (another size, or a newer time). */
  readonly copies: readonly SyncFile[];
  /** In the target but no longer in the source; the size and time are the target's, checked again before removal. */
  readonly removals: readonly SyncFile[];
  readonly unchanged: number;
  /** Source files modified within the settle time (perhaps still being written): left for a later run. */
  readonly settling: readonly SyncFile[];
  /** Video files found in the source, and target files a removal is measured against (those not made by vidlib). */
  readonly found: number;
  readonly present: number;
}

/** When files count as settled: the time now, and how long a file must have been left unchanged. */
export interface SettleRule {
  readonly now: number;
  readonly settleMs: number;
}

/** Where one run's removals go: a folder of its own in the trash, keeping their relative paths. */
export const syncTrashFolder = (trashDir: string, runId: number): string => join(trashDir, `sync-${runId}`);

// FAT and many network shares keep times to 2 s; a smaller difference is not a change.
export const MTIME_TOLERANCE_MS = 2000;

/** Whether the target copy of a file is out of date. */
export function needsCopy(source: SyncFile, target: SyncFile | undefined): boolean {
  return target === undefined || target.size !== source.size || source.mtimeMs > target.mtimeMs + MTIME_TOLERANCE_MS;
}

/**
 * What a sync does: copy new and changed files, and propose removing target files that left the
 * source. `keep` holds target paths vidlib made itself (converted MP4s), which are never proposed.
 * Names are compared case-insensitively when `caseInsensitive`, as on Windows shares.
 */
export function planSync(source: readonly SyncFile[], target: readonly SyncFile[], keep: ReadonlySet<string>, caseInsensitive = false, settle?: SettleRule): SyncPlan {
  const key = (p: string): string => (caseInsensitive ? p.toLowerCase() : p);
  const targets = new Map(target.map((f) => [key(f.relPath), f]));
  const sources = new Set(source.map((f) => key(f.relPath)));
  const copies: SyncFile[] = [];
  const settling: SyncFile[] = [];
  let unchanged = 0;
  for (const file of source) {
    if (!needsCopy(file, targets.get(key(file.relPath)))) unchanged++;
    // Same rule as the scanner's: a file written moments ago may still be growing.
    else if (settle !== undefined && isSettling(settle.now - file.mtimeMs, settle.settleMs)) settling.push(file);
    else copies.push(file);
  }
  const kept = new Set([...keep].map(key));
  const removals = target.filter((f) => !sources.has(key(f.relPath)) && !kept.has(key(f.relPath)));
  const present = target.filter((f) => !kept.has(key(f.relPath))).length;
  const byPath = (a: SyncFile, b: SyncFile): number => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0);
  return { copies: copies.sort(byPath), removals: removals.sort(byPath), unchanged, settling: settling.sort(byPath), found: source.length, present };
}

// A few removals from a small folder (two lectures of five deleted) are ordinary housekeeping, which the
// preview and the deletion cap already cover; the share rule is for a source that lost many files at once.
export const MIN_SHARE_GUARDED = 4;

/**
 * The scanner's unmount rule, applied to a sync's removals: a source that is empty while the library
 * folder holds files, or that lost more than `maxMissingShare` of them at once, looks like a share
 * that is not mounted, so nothing is removed. Returns why, or null when the removals may go ahead.
 */
export function removalGuard(plan: SyncPlan, maxMissingShare: number): string | null {
  const n = plan.removals.length;
  if (n === 0 || plan.present === 0) return null;
  if (plan.found === 0) return "the source folder is empty (is the share mounted?)";
  const share = n / plan.present;
  if (n >= MIN_SHARE_GUARDED && share > maxMissingShare) {
    return `${formatCount(n)} of the ${formatCount(plan.present)} files in the library folder (${Math.round(share * 100)} %) left the source at once, over the ${Math.round(maxMissingShare * 100)} % limit (SCAN_MAX_MISSING_PERCENT); is the share fully mounted?`;
  }
  return null;
}
