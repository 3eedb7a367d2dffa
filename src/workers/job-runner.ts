/**
 * The one job runner. Protocol (after liteque's fenced claims and pg-boss's expiring leases):
 *
 * - A claim is one UPDATE that takes the next due job of a kind (lowest priority number, then oldest) whose group
 *   has no other job running, and gives it a lease: owner (this process), attempt + 1, lease end. A running
 *   job whose lease ended is due too: whichever process sees it first takes it over, the attempt counted;
 *   one that was on its last attempt is failed by the next poll of any process.
 * - Every write about a claimed job (heartbeat, progress, finish, requeue) is fenced on (id, owner, attempt)
 *   and state 'running': a worker that lost its lease writes nothing, and its heartbeat aborts the handler.
 *   A handler's step that must not happen after a takeover (a conversion's rename into place) runs through
 *   `underLease`: in one transaction that locks the row, checks the fence and the lease end, and renews it.
 * - The heartbeat (a third of the lease) extends the lease and reads the cancel flag, so any process can
 *   cancel any job through the database; the handler's AbortSignal fires with a JobAborted reason (a cancel
 *   asked in this process beats at once). A job handed back after its cancel was asked ends cancelled.
 * - Outcomes: done; parked (waits for a person until retry); failed (at once). A thrown RetryAfter(ms)
 *   requeues without using the attempt; another error requeues after the kind's backoff until the last
 *   attempt, then fails. A graceful stop aborts handlers and hands their jobs back, attempts not counted.
 * - Concurrency is per kind, read at each fill (wake() after changing it). An enqueue in this process wakes
 *   the runner at once; a short poll finds other processes' work. Periodic work: src/workers/schedules.ts.
 * - The clock is injected: leases compare times written by the same clock (the process clock on SQLite, the
 *   server's on PostgreSQL, read before each claim batch: see DatabaseClock).
 */
import type { Logger } from "../infra/logging/logger.js";
import { isSyncedClock, type Clock } from "../services/shared/clock.js";
import { backoffFor, JobAborted, RetryAfter, type JobHandler, type JobKind, type JobOutcome, type JobRecord } from "../services/jobs/job.js";
import type { JobQueue } from "../services/jobs/job-queue.js";
import type { JobStore, Lease } from "../services/jobs/job-store.js";

export interface JobRunnerOptions {
  readonly store: JobStore;
  readonly queue: JobQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  /** This process's name on its leases (see newProcessOwner). */
  readonly owner: string;
  /** How often the database is looked at for work other processes enqueued or leases that ended. */
  readonly pollMs?: number;
  /** Defaults to a third of each kind's lease. */
  readonly heartbeatMs?: number;
}

interface Registration {
  readonly kind: JobKind<unknown>;
  readonly handler: JobHandler<unknown>;
  /** Read at every fill, so a setting can change it while running. */
  readonly concurrency: () => number;
  readonly running: Set<Promise<void>>;
}

export class JobRunner {
  private readonly kinds = new Map<string, Registration>();
  private readonly controllers = new Set<AbortController>();
  /** Heartbeat now, per running job id: a cancel asked in this process is acted on at once. */
  private readonly beatNow = new Map<number, () => void>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void)[] = [];
  private filling: Promise<void> | null = null;
  private fillAgain = false;
  private sweepDue = true;
  private stopping = false;

  constructor(private readonly options: JobRunnerOptions) {}

  /** Runs jobs of `kind` with `handler`, at most `concurrency` at once in this process. */
  register<P>(kind: JobKind<P>, handler: JobHandler<P>, concurrency: number | (() => number)): void {
    const limit = typeof concurrency === "number" ? () => concurrency : concurrency;
    this.kinds.set(kind.name, { kind, handler: handler as JobHandler<unknown>, concurrency: limit, running: new Set() });
  }

  /** The kinds this runner runs, for the process registry. */
  get kindNames(): string[] {
    return [...this.kinds.keys()];
  }

  start(): void {
    this.unsubscribe = [
      this.options.queue.onEnqueued((kind) => { if (this.kinds.has(kind)) this.wake(); }),
      this.options.queue.onCancelRequested((id) => this.beatNow.get(id)?.()),
    ];
    // A poll, not a schedule (so not croner, which fires on the wall clock to the second): it finds jobs whose
    // runAt came and enqueues no signal reached, within half a second.
    this.timer = setInterval(() => {
      this.sweepDue = true;
      this.wake();
    }, this.options.pollMs ?? 500);
    this.timer.unref();
    this.wake();
  }

  /** Looks for work now (also after a concurrency setting changed). */
  wake(): void {
    if (this.stopping) return;
    if (this.filling !== null) {
      this.fillAgain = true;
      return;
    }
    this.filling = this.fill().catch((err: unknown) => this.options.logger.error({ err }, "the job runner could not claim work"))
      .finally(() => {
        this.filling = null;
        if (this.fillAgain) {
          this.fillAgain = false;
          this.wake();
        }
      });
  }

  /**
   * Claims one due job of `kind` and runs it to its end within this call; false when none is due. For a
   * process that works a queue until it is empty (`vidlib convert`) rather than waiting for more. With `key`,
   * only the job with that key (one this process just enqueued, or one whose lease ran out).
   */
  async runOnce<P>(kind: JobKind<P>, key?: string): Promise<boolean> {
    const registration = this.kinds.get(kind.name);
    if (registration === undefined) throw new Error(`job kind ${kind.name} is not registered`);
    await this.syncClock();
    await this.options.queue.releaseDeadOwners();
    const job = await this.options.store.claim(kind.name, this.options.owner, this.options.clock.now(), kind.leaseMs, key);
    if (job === null) return false;
    // Without start() nothing listens for cancels asked in this process; they act at once here too.
    const unsubscribe = this.options.queue.onCancelRequested((id) => { if (id === job.id) this.beatNow.get(id)?.(); });
    try {
      await this.run(registration, job);
    } finally {
      unsubscribe();
    }
    return true;
  }

  /** Aborts running handlers, hands their jobs back without counting the attempt and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    for (const controller of this.controllers) controller.abort(new JobAborted("stopping"));
    await this.filling;
    await Promise.allSettled([...this.kinds.values()].flatMap((r) => [...r.running]));
  }

  private async syncClock(): Promise<void> {
    const { clock } = this.options;
    if (isSyncedClock(clock)) await clock.sync();
  }

  private async fill(): Promise<void> {
    await this.syncClock();
    if (this.sweepDue) {
      this.sweepDue = false;
      const released = await this.options.queue.releaseDeadOwners();
      if (released > 0) this.options.logger.warn({ released }, "jobs of a process that is gone are taken over");
      for (const name of this.kinds.keys()) {
        const failed = await this.options.store.failExpired(name, this.options.clock.now());
        if (failed > 0) this.options.logger.warn({ kind: name, failed }, "jobs whose worker stopped answering on their last attempt failed");
      }
    }
    for (const registration of this.kinds.values()) {
      while (!this.stopping && registration.running.size < registration.concurrency()) {
        const job = await this.options.store.claim(registration.kind.name, this.options.owner, this.options.clock.now(), registration.kind.leaseMs);
        if (job === null) break;
        if (this.stopping) {
          // Claimed while the stop began: hand it straight back, the attempt not counted.
          await this.options.store.requeue({ id: job.id, owner: this.options.owner, attempt: job.attempts }, job.runAt, false, null, this.options.clock.now());
          break;
        }
        const run: Promise<void> = this.run(registration, job).catch((err: unknown) => {
          this.options.logger.error({ err, job: job.id, kind: job.kind }, "the job runner could not record a job's end; its lease will expire and it runs again");
        }).finally(() => {
          registration.running.delete(run);
          this.wake();
        });
        registration.running.add(run);
      }
    }
  }

  private async run(registration: Registration, job: JobRecord): Promise<void> {
    const { store, clock, logger } = this.options;
    const lease: Lease = { id: job.id, owner: this.options.owner, attempt: job.attempts };
    const controller = new AbortController();
    this.controllers.add(controller);
    const lost = () => { if (!controller.signal.aborted) controller.abort(new JobAborted("lease-lost")); };
    // When the lease was last known to be ours, on this process's monotonic clock: a process cut off from the
    // database (its heartbeats fail or hang) gives the job up once a whole lease has passed without a renewal,
    // because by then another process may have taken it over.
    let renewedAt = performance.now();
    let beating = false;
    const beat = () => {
      beating = true;
      const sent = performance.now();
      store.heartbeat(lease, clock.now() + registration.kind.leaseMs, clock.now()).then((state) => {
        if (state === "cancel" && !controller.signal.aborted) controller.abort(new JobAborted("cancelled"));
        if (state === "lost") lost();
        else renewedAt = sent;
      }, (err: unknown) => logger.warn({ err, job: job.id }, "a job's heartbeat failed")).finally(() => { beating = false; });
    };
    const tick = () => {
      if (controller.signal.aborted) return;
      if (performance.now() - renewedAt >= registration.kind.leaseMs) {
        logger.warn({ job: job.id, kind: job.kind }, "a job's lease could not be renewed for a whole lease; it is given up");
        lost();
      } else if (!beating) beat();
    };
    const heartbeat = setInterval(tick, this.options.heartbeatMs ?? registration.kind.leaseMs / 3);
    this.beatNow.set(job.id, beat);
    try {
      const outcome = await registration.handler({
        job, payload: JSON.parse(job.payload) as unknown, attempt: job.attempts, signal: controller.signal,
        progress: async (fraction) => {
          const held = await store.progress(lease, fraction, clock.now());
          if (!held) lost();
          return held;
        },
        underLease: async (step) => {
          if (controller.signal.aborted) return { held: false };
          const sent = performance.now();
          const result = await store.underLease(lease, registration.kind.leaseMs, clock.now(), step);
          if (result.state === "held") {
            // It renewed the lease too.
            renewedAt = sent;
            return { held: true, value: result.value };
          }
          if (result.state === "cancel" && !controller.signal.aborted) controller.abort(new JobAborted("cancelled"));
          lost();
          return { held: false };
        },
      });
      await this.record(registration.kind, lease, outcome ?? { kind: "done" });
    } catch (err) {
      await this.recordError(registration.kind, lease, err, controller.signal);
    } finally {
      clearInterval(heartbeat);
      this.beatNow.delete(job.id);
      this.controllers.delete(controller);
    }
  }

  private async record(kind: JobKind<unknown>, lease: Lease, outcome: JobOutcome): Promise<void> {
    const now = this.options.clock.now();
    const reason = outcome.kind === "done" ? null : outcome.reason;
    if (!(await this.options.store.finish(lease, outcome.kind, reason, now))) {
      this.options.logger.warn({ job: lease.id, attempt: lease.attempt, kind: kind.name }, "a job ended after its lease was lost; its result is not recorded");
    }
  }

  private async recordError(kind: JobKind<unknown>, lease: Lease, err: unknown, signal: AbortSignal): Promise<void> {
    const { store, clock, logger } = this.options;
    const now = clock.now();
    const aborted = signal.aborted ? (signal.reason as JobAborted).why : null;
    if (aborted === "lease-lost") {
      // Another process has (or may take) the job: nothing of this attempt is written.
      logger.warn({ job: lease.id, attempt: lease.attempt, kind: kind.name }, "a job stopped after its lease was lost; its result is not recorded");
      return;
    }
    if (aborted === "cancelled") {
      await store.finish(lease, "cancelled", "cancelled while running", now);
    } else if (aborted === "stopping") {
      await store.requeue(lease, now, false, "handed back by a stopping process", now);
    } else if (err instanceof RetryAfter) {
      await store.requeue(lease, now + err.ms, false, err.message, now, err.regroup);
    } else if (lease.attempt < kind.maxAttempts) {
      logger.warn({ err, job: lease.id, attempt: lease.attempt, kind: kind.name }, "a job failed; it will be tried again");
      await store.requeue(lease, now + backoffFor(kind, lease.attempt), true, errorText(err), now);
    } else {
      logger.error({ err, job: lease.id, attempt: lease.attempt, kind: kind.name }, "a job failed on its last attempt");
      await store.finish(lease, "failed", errorText(err), now);
    }
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 2000);
