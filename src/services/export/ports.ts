import type { ActorRef } from "../people/actor.js";
import type { PlacedFile } from "../library/locator.js";

export type ExportState = "queued" | "running" | "done" | "failed" | "cancelled";

export interface ExportJob {
  readonly id: number;
  readonly videoId: number;
  readonly fileName: string;
  readonly state: ExportState;
  readonly origin: string;
  readonly actor: ActorRef;
  readonly rungs: string | null;
  readonly outputDir: string | null;
  readonly progress: number | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

/** What an export needs to know about a video, from the index (with where it records the file). */
export interface ExportSource extends PlacedFile {
  readonly id: number;
  readonly path: string;
  readonly fileName: string;
  readonly status: string;
  /** "audio": sound only, skipped with a reason. */
  readonly mediaKind: string;
  readonly durationS: number | null;
  readonly height: number | null;
  readonly audioCodec: string | null;
}

/**
 * The export history users see in /exports. Claiming is the job engine's: each active row names the
 * engine job (`jobId`) that runs it.
 */
export interface ExportStore {
  source(videoId: number): Promise<ExportSource | null>;
  /** The category's playable videos; a recording that has a converted MP4 is represented by the MP4. */
  categoryVideos(categoryId: number): Promise<number[]>;
  /** A queued export, or null when the video already has an active one. */
  enqueue(videoId: number, origin: string, actor: ActorRef, now: number): Promise<number | null>;
  /** Names the engine job that runs the export. */
  attach(exportId: number, jobId: number): Promise<void>;
  /** Removes a queued export that got no job of its own. */
  discard(exportId: number): Promise<void>;
  get(exportId: number): Promise<ExportJob | null>;
  /** The export starts (again): running, progress 0. */
  start(exportId: number, now: number): Promise<void>;
  progress(exportId: number, share: number, now: number): Promise<void>;
  /** Back to queued, e.g. handed back by a stopping process or to be tried again. */
  requeue(exportId: number, now: number): Promise<void>;
  finish(exportId: number, state: "done" | "failed" | "cancelled", outcome: { rungs?: string; outputDir?: string; error?: string }, now: number): Promise<void>;
  /**
   * Ends active exports whose engine job ended without them (cancelled before it started, or failed
   * because its process died on the last attempt); returns how many.
   */
  settle(now: number): Promise<number>;
  /** Active exports that have no engine job: a process stopped between writing the request and enqueueing it. */
  orphans(): Promise<{ id: number; videoId: number }[]>;
  recent(limit: number): Promise<ExportJob[]>;
  counts(): Promise<Record<ExportState, number>>;
}

/** The file system side of an export. */
export interface ExportFiles {
  /** A fresh, empty working folder. */
  prepare(dir: string): Promise<void>;
  readText(path: string): Promise<string>;
  /** Puts a finished export in place of an older one of the same name, atomically per folder. */
  publish(work: string, final: string): Promise<void>;
  remove(dir: string): Promise<void>;
}
