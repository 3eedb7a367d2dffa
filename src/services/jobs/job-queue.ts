import type { Clock } from "../shared/clock.js";
import type { EnqueueOptions, JobKind, JobRecord } from "./job.js";
import type { JobStore } from "./job-store.js";
import { localOnlySignal, type EnqueueSignal } from "./enqueue-signal.js";

/**
 * The engine's surface for services: enqueue, cancel, retry. Enqueueing wakes this process's runner at once,
 * and through the signal (LISTEN/NOTIFY on PostgreSQL) the other processes' runners too.
 */
export class JobQueue {
  private readonly listeners = new Set<(kind: string) => void>();
  private readonly cancelListeners = new Set<(id: number) => void>();

  /**
   * `ownerGone` says whether a lease holder is known to be dead (a process of this machine that no longer
   * exists): its jobs need not wait for their leases to run out. `signal` carries wake-ups between processes.
   */
  constructor(private readonly store: JobStore, private readonly clock: Clock, private readonly ownerGone: (owner: string) => boolean = () => false,
    private readonly signal: EnqueueSignal = localOnlySignal) {}

  /** Ends the leases held by processes known to be dead, so their jobs are taken over at once; returns how many. */
  async releaseDeadOwners(): Promise<number> {
    const now = this.clock.now();
    let released = 0;
    for (const owner of await this.store.runningOwners(now)) {
      if (this.ownerGone(owner)) released += await this.store.endLeasesOf(owner, now);
    }
    return released;
  }

  /** Adds a job (or returns the unfinished one with the same key) and wakes the local runner. */
  async enqueue<P>(kind: JobKind<P>, payload: P, options: EnqueueOptions = {}): Promise<{ job: JobRecord; created: boolean }> {
    const now = this.clock.now();
    const result = await this.store.enqueue({
      kind: kind.name, payload: JSON.stringify(payload ?? null), key: options.key ?? null, group: options.group ?? null,
      priority: options.priority ?? 0, runAt: options.runAt ?? now, maxAttempts: kind.maxAttempts,
    }, now);
    if (result.created) this.wake(kind.name);
    return result;
  }

  /** Starts a waiting job at `runAt` if it was due later (a request for sooner work joins it); wakes the local runner. */
  async runSooner(id: number, runAt: number, kind: string): Promise<boolean> {
    const moved = await this.store.runSooner(id, runAt, this.clock.now());
    if (moved) this.wake(kind);
    return moved;
  }

  /** Cancels a waiting job, or asks the process running it to stop (its handler's signal fires within one heartbeat). */
  async cancel(id: number): Promise<"cancelled" | "requested" | "finished" | "unknown"> {
    const result = await this.store.cancel(id, this.clock.now());
    // If this process runs the job, it need not wait for the heartbeat to read the flag.
    if (result === "requested") for (const listener of this.cancelListeners) listener(id);
    return result;
  }

  /** Queues a parked or failed job again with fresh attempts. */
  async retry(id: number): Promise<boolean> {
    const job = await this.store.get(id);
    const queued = job !== null && (await this.store.retry(id, this.clock.now()));
    if (queued) this.wake(job.kind);
    return queued;
  }

  /** The unfinished job of `kind` with `key` (queued, running or parked), or null. */
  find<P>(kind: JobKind<P>, key: string): Promise<JobRecord | null> {
    return this.store.find(kind.name, key);
  }

  /** Moves a waiting job to another place in its kind's order (lower runs first). */
  async reprioritise<P>(kind: JobKind<P>, key: string, priority: number): Promise<boolean> {
    const moved = await this.store.reprioritise(kind.name, key, priority, this.clock.now());
    if (moved) this.wake(kind.name);
    return moved;
  }

  /** The job as stored now. */
  get(id: number): Promise<JobRecord | null> {
    return this.store.get(id);
  }

  /** Runs `listener` whenever this process, or another one through the signal, enqueues due work; returns the unsubscribe function. */
  onEnqueued(listener: (kind: string) => void): () => void {
    this.listeners.add(listener);
    const remote = this.signal.onRemoteEnqueue(listener);
    return () => {
      this.listeners.delete(listener);
      remote();
    };
  }

  /** Runs `listener` when this process asks for a running job to be cancelled; returns the unsubscribe function. */
  onCancelRequested(listener: (id: number) => void): () => void {
    this.cancelListeners.add(listener);
    return () => this.cancelListeners.delete(listener);
  }

  /** Tells the local runner, and the other processes, there is work of `kind`, e.g. after a schedule fired through the store. */
  wake(kind: string): void {
    for (const listener of this.listeners) listener(kind);
    this.signal.announce(kind);
  }
}
