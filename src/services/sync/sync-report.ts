import { LibraryPaths } from "../library/library-paths.js";
import type { SyncFolder } from "./ports.js";
import type { SyncFile } from "./sync-plan.js";

/**
 * "source → target", as every message about a folder names it. Given the library folders, the target
 * is shown inside its library folder ("Lectures/Dropbox"), not as a server path; the source is outside
 * the library, so it keeps the path the admin registered.
 */
export const folderTitle = (f: SyncFolder, roots?: readonly string[]): string =>
  `${f.sourcePath} → ${roots === undefined ? f.targetPath : new LibraryPaths(roots).show(f.targetPath)}`;

/** Where a run stands, as the progress message shows it. */
export interface SyncProgress {
  readonly title: string;
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  /** Bytes per second over this session's copying, or null before there is a fair figure. */
  readonly bytesPerS: number | null;
}

/** What a sync would do, before it does it. */
export interface PreviewFacts {
  readonly copies: readonly SyncFile[];
  readonly removals: readonly SyncFile[];
  readonly settling: number;
  /** Why removals are held back (the source looks unmounted), or null. */
  readonly guard: string | null;
}

/** A dry run's preview: the plan, and the deletion cap and trash days it is weighed against. */
export interface SyncPreview {
  readonly title: string;
  readonly facts: PreviewFacts;
  readonly cap: number;
  readonly trashDays: number;
}

export interface SyncOutcome {
  readonly title: string;
  readonly copied: number;
  readonly removed: number;
  readonly failed: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  /** Removals that were found but not applied (copy-only runs). */
  readonly removalsLeft: number;
  readonly problems: readonly string[];
  /** Files left for a later run because they were still being written. */
  readonly settling?: number;
  /** Why the removals were held back, or null. */
  readonly guard?: string | null;
}

/** A run's progress so far. */
export type SyncProgressReport =
  | { readonly kind: "calculating"; readonly title: string }
  | { readonly kind: "copying"; readonly progress: SyncProgress };

/** The last word on a run; a preview waits for an answer (`canApply`: moving the removals is offered). */
export type SyncFinalReport =
  | ({ readonly kind: "preview"; readonly runId: number; readonly canApply: boolean } & SyncPreview)
  | { readonly kind: "finished"; readonly outcome: SyncOutcome }
  | { readonly kind: "failed"; readonly title: string; readonly why: string };
