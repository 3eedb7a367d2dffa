import type { VideoStatus } from "../../entities/video.js";
import type { MediaInfo } from "./media.js";
import type { IndexSnapshot, RootListing } from "./scan-plan.js";

/** The columns the scanner writes for a file. */
export interface FileFacts {
  readonly path: string;
  readonly root: string;
  /** The library folder's name (null when the root has none: a scanner built without names). */
  readonly folder: string | null;
  readonly relativePath: string;
  readonly fileName: string;
  readonly extension: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly fingerprint: string | null;
  readonly status: VideoStatus;
  readonly statusReason: string | null;
  readonly media: MediaInfo | null;
  readonly probedAt: number | null;
}

export type RowUpdate =
  | { readonly kind: "facts"; readonly id: number; readonly facts: FileFacts }
  | { readonly kind: "status"; readonly id: number; readonly status: VideoStatus; readonly statusReason: string | null };

/** The video index as the scanner reads and writes it. */
export interface LibraryIndex {
  /** A number that changes whenever a write changes what `snapshot` reads, by any process (cheap to read). */
  generation(): Promise<number>;
  snapshot(): Promise<IndexSnapshot>;
  /** The fingerprints of some rows (those that may have moved). */
  fingerprints(ids: readonly number[]): Promise<Map<number, string | null>>;
  /** The row at a path, if any. */
  idByPath(path: string): Promise<number | null>;
  /**
   * Applies one scan's inserts and updates in a single transaction, which also puts the rows written on the
   * search index's out-of-date list and moves the generation; returns the ids of the rows written.
   */
  apply(inserts: readonly FileFacts[], updates: readonly RowUpdate[], now: number): Promise<number[]>;
}

/** Lists the video files under a root. */
export interface FileLister {
  /** Why the root cannot be listed now (null when it can), and whether it holds nothing at all. */
  folderState(root: string): Promise<{ readonly problem: string | null; readonly empty: boolean }>;
  /** Size and time of one file, or null when it is not there. */
  stat(path: string): Promise<{ size: number; mtimeMs: number } | null>;
  /**
   * Lists one root. Symbolic links are reported in `links` and never listed: what they lead to is listed at its
   * real path by the root that holds it (`libraryRoots`), or not at all when it lies outside every root.
   */
  list(root: string, libraryRoots: readonly string[], signal?: AbortSignal): Promise<RootListing & {
    readonly problems: readonly { path: string; reason: string }[];
    readonly links: readonly { path: string; target: string; inLibrary: boolean }[];
  }>;
}

/** Hashes the first and last MiB of a file. */
export interface ContentHasher {
  headTail(path: string, size: number): Promise<string>;
}

export interface WatchHandle {
  close(): Promise<void>;
}

/** Reports that something changed under a root; the scan works out what. */
export interface FolderWatcher {
  watch(roots: readonly string[], onChange: (root: string) => void, onError: (err: unknown) => void): WatchHandle;
}
