import type { JobRecord, JobState } from "./job.js";

/** The fence of one claim: writes about the job succeed only while all three still match the row. */
export interface Lease {
  readonly id: number;
  readonly owner: string;
  readonly attempt: number;
}

export interface NewJob {
  readonly kind: string;
  readonly payload: string;
  readonly key: string | null;
  readonly group: string | null;
  readonly priority: number;
  readonly runAt: number;
  readonly maxAttempts: number;
}

/** How a step under the lease went: run (with its value), or not run because the claim is gone or a cancel was asked. */
export type LeaseStep<T> = { readonly state: "held"; readonly value: T } | { readonly state: "lost" | "cancel" };

export type FinalState = Extract<JobState, "done" | "failed" | "parked" | "cancelled">;

/**
 * Where jobs live. Every `now` is the engine's one clock: SQLite has no shared clock, so the process
 * clock is passed in; a PostgreSQL adapter may use the server's now() instead and ignore it.
 */
export interface JobStore {
  /** Inserts a job, or returns the unfinished one with the same kind and key (`created` false). */
  enqueue(job: NewJob, now: number): Promise<{ job: JobRecord; created: boolean }>;
  /**
   * Takes the next due job of a kind: queued and due, or running with an expired lease and attempts left
   * (taken over, the attempt counted); none whose group has another job running. Sets owner, attempt + 1
   * and lease end. The one claim: PostgreSQL's adapter adds FOR UPDATE SKIP LOCKED here. With `key`, only
   * the job with that key is taken (a process that runs the job it just enqueued, e.g. `vidlib sync`).
   */
  claim(kind: string, owner: string, now: number, leaseMs: number, key?: string): Promise<JobRecord | null>;
  /** Fails running jobs of a kind whose lease ended on their last attempt; returns how many. */
  failExpired(kind: string, now: number): Promise<number>;
  /** The owners of running jobs whose leases still hold. */
  runningOwners(now: number): Promise<string[]>;
  /** Ends the leases of this owner's running jobs now, so any process takes them over at its next claim. */
  endLeasesOf(owner: string, now: number): Promise<number>;
  /** Extends the lease; says whether a cancel was requested, or the lease is lost. */
  heartbeat(lease: Lease, leaseUntil: number, now: number): Promise<"held" | "cancel" | "lost">;
  progress(lease: Lease, fraction: number, now: number): Promise<boolean>;
  /**
   * Runs `step` in one transaction that first locks the job's row and checks the claim against the database's
   * clock (PostgreSQL: the server's; SQLite: `now`), renewing the lease for `leaseMs`. A taker-over must update
   * that row, so it waits until the step is committed. When the lease is gone or a cancel was asked, `step`
   * does not run. Keep the step short (a rename): it holds the row, and on SQLite the database's write lock.
   */
  underLease<T>(lease: Lease, leaseMs: number, now: number, step: () => Promise<T>): Promise<LeaseStep<T>>;
  finish(lease: Lease, state: FinalState, reason: string | null, now: number): Promise<boolean>;
  /**
   * Back to queued until `runAt`; `countAttempt` false gives the attempt back (RetryAfter, graceful stop).
   * A job whose cancel was asked meanwhile is cancelled instead.
   */
  requeue(lease: Lease, runAt: number, countAttempt: boolean, reason: string | null, now: number, regroup?: { readonly group: string | null }): Promise<boolean>;
  /** The unfinished (queued, running or parked) job of a kind with this key, or null. */
  find(kind: string, key: string): Promise<JobRecord | null>;
  /** Moves a waiting (queued or parked) job with this key to another place in its kind's order; false when there is none. */
  reprioritise(kind: string, key: string, priority: number, now: number): Promise<boolean>;
  /** Cancels a queued or parked job at once, asks a running one's owner to stop. */
  cancel(id: number, now: number): Promise<"cancelled" | "requested" | "finished" | "unknown">;
  /** Queues a parked or failed job again, with fresh attempts; false if it is neither (or its key is taken). */
  retry(id: number, now: number): Promise<boolean>;
  get(id: number): Promise<JobRecord | null>;
  /** Moves a queued job's start forward to `runAt` if it was later; false if it is not queued or starts sooner already. */
  runSooner(id: number, runAt: number, now: number): Promise<boolean>;
  /**
   * Deletes up to `limit` jobs in one of `states` that finished before `finishedBefore`, oldest first;
   * returns how many. Only the engine's own rows: the history people see lives in the domain tables.
   */
  deleteFinished(states: readonly FinalState[], finishedBefore: number, limit: number): Promise<number>;
  /**
   * Moves a schedule's last slot forward to `slot` and, if this call moved it, enqueues its job; false if
   * that slot (or a later one) was already fired. A schedule seen for the first time records `slot`
   * without firing it. At most once: a crash between the two steps loses the slot.
   */
  fireSlot(schedule: string, slot: number, job: NewJob, now: number): Promise<boolean>;
}
