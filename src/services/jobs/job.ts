import type { JobState } from "../../entities/job.js";

export type { JobState };

/**
 * A kind of background work and its retry policy. `P` is the payload's type, so `enqueue` and the
 * handler agree on it; the payload is stored as JSON.
 */
export interface JobKind<P> {
  readonly name: string;
  /** Attempts before the job is failed; a RetryAfter or a graceful stop does not use one. */
  readonly maxAttempts: number;
  /** Delay before attempt n+1 after attempt n failed: entry n-1, the last entry once they run out. */
  readonly backoffMs: readonly number[];
  /** How long a claim holds without a heartbeat; a lease not renewed by then is reclaimed by any process. */
  readonly leaseMs: number;
  /** Never read: it only carries the payload type. */
  readonly payload?: P;
}

/** Declares a kind of job. */
export function jobKind<P>(definition: Omit<JobKind<P>, "payload">): JobKind<P> {
  if (definition.maxAttempts < 1 || definition.leaseMs <= 0) throw new Error(`job kind ${definition.name}: maxAttempts ≥ 1 and leaseMs > 0`);
  return definition;
}

export interface EnqueueOptions {
  /** Idempotency: while a job of this kind with this key is not finished, enqueueing returns it instead. */
  readonly key?: string;
  /** Not started before this time (ms, on the engine's clock). */
  readonly runAt?: number;
  /** At most one job of a group runs at a time across all processes (e.g. one upload per channel). */
  readonly group?: string;
  /** Lower starts first within a kind (as in graphile-worker): -10 is urgent, 10 can wait; default 0. */
  readonly priority?: number;
}

/** A job as its handler and its callers see it. */
export interface JobRecord {
  readonly id: number;
  readonly kind: string;
  readonly payload: string;
  readonly state: JobState;
  readonly key: string | null;
  readonly group: string | null;
  readonly priority: number;
  readonly runAt: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly owner: string | null;
  readonly leaseUntil: number | null;
  readonly cancelRequested: boolean;
  readonly progress: number | null;
  readonly reason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

/**
 * What a handler reports. Returning nothing means done. `parked` waits for a person (not retried, not
 * failed) until `retry(jobId)`; `failed` gives up at once, without the remaining attempts.
 */
export type JobOutcome = { readonly kind: "done" } | { readonly kind: "parked"; readonly reason: string } | { readonly kind: "failed"; readonly reason: string };

/**
 * Thrown by a handler to run again after `ms` without using an attempt (e.g. Telegram's 429 retry_after).
 * With `group`, the job moves to that group first (an upload whose channel changed while it waited).
 */
export class RetryAfter extends Error {
  constructor(readonly ms: number, reason = `retry after ${ms} ms`, readonly regroup?: { readonly group: string | null }) {
    super(reason);
    this.name = "RetryAfter";
  }
}

/** Why a handler's signal fired: a person cancelled it, the process stops, or another process took the job over. */
export class JobAborted extends Error {
  constructor(readonly why: "cancelled" | "stopping" | "lease-lost") {
    super(`job ${why}`);
    this.name = "JobAborted";
  }
}

export interface JobContext<P> {
  readonly job: JobRecord;
  readonly payload: P;
  /** This claim's attempt, from 1. */
  readonly attempt: number;
  /** Fires on cancel, stop or a lost lease; its reason is a JobAborted. */
  readonly signal: AbortSignal;
  /** Records progress (0–1); false when the lease is lost (the signal fires too). */
  progress(fraction: number): Promise<boolean>;
  /** Runs a short step (a rename into place) only while this claim still holds; see UnderLease. */
  readonly underLease: UnderLease;
}

/**
 * Runs `step` in one database transaction that locks the job's row and checks that the lease is still this
 * process's; no other process can take the job over meanwhile. When the lease is gone (or a cancel was asked,
 * or the process stops), `step` does not run, the signal fires and `held` is false.
 */
export type UnderLease = <T>(step: () => Promise<T>) => Promise<{ readonly held: true; readonly value: T } | { readonly held: false }>;

export type JobHandler<P> = (context: JobContext<P>) => Promise<JobOutcome | void>;

/** The delay before the attempt after `attempt` (from 1), from a kind's backoff table. */
export function backoffFor(kind: Pick<JobKind<unknown>, "backoffMs">, attempt: number): number {
  const table = kind.backoffMs;
  if (table.length === 0) return 0;
  return table[Math.min(attempt, table.length) - 1] ?? 0;
}

/**
 * Periodic work: at each slot, one job of `kind` is enqueued. Slots come from a cron pattern ("0 3 * * *"
 * for 03:00 every day), or every `everyMinutes` counted from the Unix epoch (so every process agrees on them).
 */
export type Schedule<P> = {
  /** Stable across releases: the database remembers the last slot fired under this name. */
  readonly name: string;
  readonly kind: JobKind<P>;
  readonly payload: (slot: number) => P;
} & ({ readonly pattern: string; readonly timezone?: string } | { readonly everyMinutes: number });
