import { pino } from "pino";
import type { DataSource } from "typeorm";
import { TypeormJobStore } from "../../src/infra/database/stores/job-store.js";
import type { Clock } from "../../src/services/shared/clock.js";
import { JobQueue } from "../../src/services/jobs/job-queue.js";
import type { EnqueueSignal } from "../../src/services/jobs/enqueue-signal.js";
import { JobRunner, type JobRunnerOptions } from "../../src/workers/job-runner.js";
import { HANG_GUARD_MS } from "./patience.js";

/** A store, queue and runner on one database, as one process of the job engine would have them. */
export function makeJobEngine(dataSource: DataSource, clock: Clock, owner: string, options: Partial<JobRunnerOptions> = {}, ownerGone?: (owner: string) => boolean,
  signal?: EnqueueSignal) {
  const store = new TypeormJobStore(dataSource);
  const queue = new JobQueue(store, clock, ownerGone, signal);
  const logger = pino({ level: process.env.JOBS_LOG ?? "silent" });
  const runner = new JobRunner({ store, queue, clock, logger, owner, pollMs: 50, ...options });
  return { store, queue, runner, logger };
}

/** Waits until `check` holds; the bound only ends a hang. */
export async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + HANG_GUARD_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise with its resolve function, for handlers that wait for the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}
