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
}

export function emptyProgress(startedAt: number): ScanProgress {
  return { phase: "listing", startedAt, elapsedMs: 0, found: 0, toProbe: 0, probed: 0, new: 0, changed: 0, moved: 0, missing: 0, restored: 0, unreadable: 0, settling: 0, failedProbes: 0 };
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
}

/** Files handled per second so far: each file listed, and each file probed, counts once. */
export function filesPerSecond(p: ScanProgress): number {
  return Math.round((p.found + p.probed) / (Math.max(p.elapsedMs, 1) / 1000));
}
