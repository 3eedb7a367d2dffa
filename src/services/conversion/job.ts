import type { ActorRef } from "../people/actor.js";
import type { SourceFacts } from "./plan.js";
import type { PlacedFile } from "../library/locator.js";

export const JOB_STATES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];
/** Where a request came from. */
export type JobOrigin = "card" | "bulk" | "auto" | "dupes" | "retry" | "upload";
/** What the job did to the streams. */
export type JobMode = "remux" | "transcode" | "compress" | "none";

/** One persistent conversion job. */
export interface ConversionJob {
  readonly id: number;
  readonly videoId: number;
  /** The job engine's job that runs it (null only for a row the engine never got). */
  readonly engineJobId: number | null;
  readonly state: JobState;
  readonly origin: JobOrigin;
  readonly actor: ActorRef;
  readonly attempts: number;
  readonly notBefore: number;
  readonly mode: JobMode | null;
  readonly tempPath: string | null;
  readonly outputPath: string | null;
  readonly outputVideoId: number | null;
  /** 0–1 while running. */
  readonly progress: number | null;
  readonly speed: number | null;
  readonly etaS: number | null;
  readonly reason: string | null;
  readonly errorTail: readonly string[];
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/** A job with its file's name, for lists. */
export interface JobSummary extends ConversionJob {
  readonly fileName: string;
}

/** A source as conversion reads it from the index. */
export interface SourceVideo extends SourceFacts {
  readonly id: number;
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

/** A source with where the index records it (its folder's name and relative path): what a conversion reads. */
export interface PlacedSource extends SourceVideo, PlacedFile {
  readonly path: string;
}

export type JobEnd =
  | { readonly state: "done"; readonly mode: JobMode; readonly reason: string | null; readonly outputPath: string | null; readonly outputVideoId: number | null }
  | { readonly state: "failed"; readonly reason: string; readonly tail: readonly string[]; readonly mode: JobMode | null }
  | { readonly state: "cancelled"; readonly reason: string };

/** Conversion jobs and the video facts they need, in SQLite. Each method is one transaction. */
export interface ConversionStore {
  /** Queues a job for each video without an active one; returns the ids of the new jobs by video (null: one was already active). */
  enqueue(requests: readonly { videoId: number; origin: JobOrigin; actor: ActorRef }[], now: number): Promise<Map<number, number | null>>;
  /**
   * Ends history rows whose engine job ended without their handler (its process died on the last attempt,
   * or it was cancelled while queued); returns their videos. Without it such a row would look active forever.
   */
  settle(now: number): Promise<number[]>;
  /** Active rows that have no engine job: a process stopped between writing the row and enqueueing it. */
  orphans(): Promise<{ id: number; videoId: number }[]>;
  /** Records which engine job runs a conversion. */
  setEngineJob(id: number, engineJobId: number): Promise<void>;
  /** Marks a queued (or interrupted) conversion running as its engine job's `attempt`; null when it ended meanwhile. */
  start(id: number, attempt: number, now: number): Promise<ConversionJob | null>;
  job(id: number): Promise<ConversionJob | null>;
  /** The newest job of each video. */
  latestFor(videoIds: readonly number[]): Promise<Map<number, ConversionJob>>;
  setTemp(id: number, tempPath: string | null, now: number): Promise<void>;
  setProgress(id: number, progress: number, speed: number | null, etaS: number | null, now: number): Promise<void>;
  finish(id: number, end: JobEnd, now: number): Promise<void>;
  /** Back to queued, due at `notBefore`; `countAttempt` false gives the attempt back (a shutdown, not a fault). */
  requeue(id: number, notBefore: number, reason: string | null, countAttempt: boolean, now: number): Promise<void>;
  /** Cancels a queued job; returns its state before (a running job is left to its runner). */
  cancelQueued(id: number, now: number): Promise<JobState | null>;
  /** Running conversions whose engine lease ended before `now`: their process stopped, and the next claim takes them over. */
  interrupted(now: number): Promise<number>;
  /** Failed jobs whose video has no newer job, queued again with fresh attempts; returns them. */
  retryFailed(actor: ActorRef, now: number): Promise<ConversionJob[]>;
  counts(since: number): Promise<Record<JobState, number>>;
  /** Active jobs first (running, then queued in order), then the latest failures. */
  list(limit: number): Promise<JobSummary[]>;
  /** Place in line (1 = next) of a queued job. */
  position(id: number): Promise<number>;
  source(videoId: number): Promise<PlacedSource | null>;
  sources(videoIds: readonly number[]): Promise<SourceVideo[]>;
  /** Indexed non-MP4 videos added since `since` that never had a job and have no MP4 of the same name beside them. */
  autoCandidates(extensions: readonly string[], since: number, limit: number): Promise<number[]>;
  /** Marks `outputId` as converted from `sourceId` and gives it the source's category (when it has none) and tags. */
  adoptOutput(sourceId: number, outputId: number, now: number): Promise<void>;
  /** The MP4 converted from a video, when there is one in the index. */
  derivedOf(videoId: number): Promise<{ id: number; fileName: string } | null>;
}
