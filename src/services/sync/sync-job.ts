import { jobKind } from "../jobs/job.js";
import type { RemovalMode } from "./sync-service.js";

/** The run a job carries out, and how it treats files that left the source when it plans. */
export interface SyncPayload {
  readonly runId: number;
  readonly folderId: number;
  readonly mode: RemovalMode;
}

/**
 * One sync run on the job engine, keyed and grouped per folder, so one sync of a folder runs at a time
 * across processes. The lease is renewed every 20 s whatever the run does (listing a large share, a stalled
 * copy); a process that died is taken over once its lease of 60 s ran out, and the copy goes on from its
 * partial file. A preview ends its job; the person's choice enqueues the copying one.
 */
export const SYNC_RUN = jobKind<SyncPayload>({ name: "sync.run", maxAttempts: 5, backoffMs: [60_000], leaseMs: 60_000 });

/** Runs of different folders at a time in one process. */
export const SYNC_RUN_CONCURRENCY = 4;

/** The engine's key and group for a folder's runs. */
export const syncKey = (folderId: number): string => `folder:${folderId}`;
