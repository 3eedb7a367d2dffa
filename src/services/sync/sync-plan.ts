import { join } from "node:path";

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
export function planSync(source: readonly SyncFile[], target: readonly SyncFile[], keep: ReadonlySet<string>, caseInsensitive = false): SyncPlan {
  const key = (p: string): string => (caseInsensitive ? p.toLowerCase() : p);
  const targets = new Map(target.map((f) => [key(f.relPath), f]));
  const sources = new Set(source.map((f) => key(f.relPath)));
  const copies: SyncFile[] = [];
  let unchanged = 0;
  for (const file of source) {
    if (needsCopy(file, targets.get(key(file.relPath)))) copies.push(file);
    else unchanged++;
  }
  const kept = new Set([...keep].map(key));
  const removals = target.filter((f) => !sources.has(key(f.relPath)) && !kept.has(key(f.relPath)));
  const byPath = (a: SyncFile, b: SyncFile): number => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0);
  return { copies: copies.sort(byPath), removals: removals.sort(byPath), unchanged };
}
