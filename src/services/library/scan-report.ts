import type { RootState } from "./scan-plan.js";

export interface ScanProgress {
  phase: "listing" | "probing" | "saving" | "done";
  readonly startedAt: number;
  elapsedMs: number;
  found: number;
  toProbe: number;
  probed: number;
  new: number;
  changed: number;
  moved: number;
  missing: number;
  restored: number;
  unreadable: number;
  /** Files modified moments ago (perhaps still being copied), left for the next scan. */
  settling: number;
  /** Probes that failed for a passing reason (timeout, ffprobe missing): tried again next scan. */
  failedProbes: number;
  /** Library folders listed so far, of all of them. */
  rootsListed: number;
  rootsTotal: number;
  /** When reading (probing) began: files per second count from here, not from the listing. */
  probingStartedAt: number | null;
  /**
   * What the listing showed, known before any file is read: new and changed files still to be read,
   * files gone from their path (missing, or moved: worked out at the end) and missing files that are back.
   * `new`, `changed`, `moved` and `missing` above are final only once the phase is "done".
   */
  pending: { new: number; changed: number; gone: number; restored: number };
  /** Files read so far that turned out unreadable. */
  unreadableRead: number;
}

export function emptyProgress(startedAt: number): ScanProgress {
  return { phase: "listing", startedAt, elapsedMs: 0, found: 0, toProbe: 0, probed: 0, new: 0, changed: 0, moved: 0, missing: 0, restored: 0, unreadable: 0, settling: 0, failedProbes: 0,
    rootsListed: 0, rootsTotal: 0, probingStartedAt: null, pending: { new: 0, changed: 0, gone: 0, restored: 0 }, unreadableRead: 0 };
}

export interface FileProblem {
  readonly path: string;
  readonly reason: string;
}

/** A symbolic link in a library folder, shown relative to its library folder; `target` is null when it leads outside them. */
export interface LinkNote {
  readonly link: string;
  readonly target: string | null;
}

export interface RootReport {
  readonly root: string;
  readonly state: RootState;
  readonly found: number;
  readonly missing: number;
  /** Set when the unmount guard stopped this root's files from being marked missing. */
  readonly guard: { readonly reason: string; readonly wouldMarkMissing: number } | null;
}

/** A library folder this scan skipped because another process was scanning it. */
export interface BusyRoot {
  readonly root: string;
  /** The process scanning it (host:pid:random), and when it last renewed its lock; null when it let go meanwhile. */
  readonly holder: string | null;
  readonly renewedAt: number | null;
}

export interface ScanReport extends ScanProgress {
  readonly roots: readonly RootReport[];
  /** Files found unreadable in this scan (corrupt, empty, not a video), at most 200. */
  readonly unreadableFiles: readonly FileProblem[];
  /** Folders and links that could not be read, at most 200. */
  readonly problems: readonly FileProblem[];
  readonly problemCount: number;
  /** Symbolic links found, at most 200: never indexed as items of their own. */
  readonly links: readonly LinkNote[];
  readonly linkCount: number;
  /** Folders skipped because another process was scanning them (that scan indexes them). */
  readonly busy?: readonly BusyRoot[];
  /**
   * The library's state after the scan (what /status shows), filled in by the library service: the
   * counts a summary reports as unreadable and missing, not only what this one scan changed.
   */
  readonly library?: { readonly unreadable: number; readonly missing: number };
}

/** Files read per second since reading began; null while listing (nothing is read then) or too early to tell. */
export function filesPerSecond(p: ScanProgress): number | null {
  if (p.probingStartedAt === null || p.probed === 0) return null;
  const seconds = (p.startedAt + p.elapsedMs - p.probingStartedAt) / 1000;
  return seconds <= 0 ? null : p.probed / seconds;
}
