import type { ActorRef } from "../people/actor.js";
import type { SyncFile } from "./sync-plan.js";

export interface SyncFolder {
  readonly id: number;
  readonly sourcePath: string;
  readonly targetPath: string;
  readonly lastRunId: number | null;
}

export type SyncRunState = "planning" | "preview" | "copying" | "done" | "failed" | "cancelled";

export interface SyncRun {
  readonly id: number;
  readonly folderId: number;
  readonly state: SyncRunState;
  /** Whether the run moves files that left the source to the trash ("apply") or keeps them. */
  readonly removals: "none" | "apply";
  readonly actor: ActorRef;
  readonly chatId: number | null;
  readonly messageId: number | null;
  readonly copied: number;
  readonly removed: number;
  readonly failed: number;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  /** Why a failed run failed, or why a run held back its removals (the source looked unmounted). */
  readonly error: string | null;
}

export interface SyncItem extends SyncFile {
  readonly id: number;
  readonly action: "copy" | "remove";
  readonly state: "pending" | "done" | "failed" | "skipped";
  readonly error: string | null;
}

/** A file a finished sync moved to the trash, not restored and not purged yet. */
export interface TrashedSyncFile {
  readonly itemId: number;
  readonly runId: number;
  readonly folderId: number;
  /** The library folder the file was in (the sync's target), and its path there. */
  readonly targetPath: string;
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly movedAt: number;
}

export interface SyncStore {
  folders(): Promise<SyncFolder[]>;
  folder(id: number): Promise<SyncFolder | null>;
  addFolder(sourcePath: string, targetPath: string, actorId: string, now: number): Promise<SyncFolder>;
  removeFolder(id: number): Promise<boolean>;
  /** A new run in state "planning", or null when the folder already has an active one. */
  startRun(folderId: number, actor: ActorRef, now: number): Promise<SyncRun | null>;
  run(id: number): Promise<SyncRun | null>;
  /** Runs planning or copying (of one folder, or of all), whether a process works on them now or not. */
  activeRuns(folderId?: number): Promise<SyncRun[]>;
  setMessage(runId: number, chatId: number, messageId: number): Promise<void>;
  /** Stores the plan's items and moves the run on to `state`; `guard` says why its removals are held back, if they are. */
  savePlan(runId: number, copies: readonly SyncFile[], removals: readonly SyncFile[], state: "preview" | "copying", guard?: string | null): Promise<void>;
  /** A previewed run starts copying, with or without its removals; false when it is no longer waiting. */
  confirm(runId: number, removals: "none" | "apply"): Promise<boolean>;
  items(runId: number): Promise<SyncItem[]>;
  finishItem(itemId: number, state: "done" | "failed" | "skipped", error: string | null): Promise<void>;
  heartbeat(runId: number, progress: { filesDone: number; bytesDone: number; filesTotal: number; bytesTotal: number }, now: number): Promise<void>;
  finish(runId: number, state: "done" | "failed" | "cancelled", counts: { copied: number; removed: number; failed: number }, error: string | null, now: number): Promise<void>;
  /** Finished runs that moved files to the trash before `before` and whose trash is still there. */
  expiredTrash(before: number): Promise<number[]>;
  markTrashPurged(runId: number, now: number): Promise<void>;
  /** Files syncs moved to the trash that are still there, newest first (or one of them). */
  trashed(limit: number): Promise<TrashedSyncFile[]>;
  trashedItem(itemId: number): Promise<TrashedSyncFile | null>;
  /** Marks a removal put back; false when it already was. */
  markRestored(itemId: number, now: number): Promise<boolean>;
}

export type FolderProblem = "missing" | "not-a-folder" | "unreadable";

/** The file system as sync sees it. */
export interface SyncFiles {
  /** Why a folder cannot be a sync source or target now, or null when it can. */
  problem(path: string): Promise<FolderProblem | null>;
  /** The video files under a folder, relative and "/"-separated; hidden and partial files are left out. */
  list(folder: string, signal?: AbortSignal): Promise<{ files: SyncFile[]; problems: { path: string; reason: string }[] }>;
  stat(path: string): Promise<{ size: number; mtimeMs: number } | null>;
  /**
   * Copies `from` to `to` through a hidden partial file beside `to`, continuing a partial file left by an
   * interrupted copy of the same source; the final name appears only when the copy is complete.
   * Reports the bytes a partial file already held (`resumed`), then each chunk; returns the bytes written in this call.
   */
  copy(from: string, to: string, expected: SyncFile, onBytes: (n: number, resumed: boolean) => void, signal: AbortSignal): Promise<number>;
  /** Moves a file into the trash folder, keeping its relative path. */
  moveToTrash(path: string, trashPath: string): Promise<void>;
  /** Puts a file back from the trash to a path that must be free (across devices by copying), keeping its time. */
  restoreFromTrash(trashPath: string, path: string): Promise<void>;
  removeTree(path: string): Promise<void>;
  makeFolder(path: string): Promise<void>;
}
