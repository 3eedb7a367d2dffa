import type { Clock } from "../shared/clock.js";
import { jobKind, type JobHandler, type Schedule } from "./job.js";
import type { JobStore } from "./job-store.js";

const DAY_MS = 86_400_000;

/**
 * How long the engine keeps its own rows once they end. People read history from the domain tables
 * (conversions, uploads, exports, sync runs), so a finished job row only helps someone debugging;
 * a failed one is kept longer, and a parked one waits for a person and is never removed.
 */
export const JOB_RETENTION = { doneDays: 7, failedDays: 30 } as const;
/** Rows deleted per statement, so a large backlog never holds the database's write lock for long. */
const BATCH = 1000;

export const JOBS_PRUNE = jobKind<null>({ name: "jobs.prune", maxAttempts: 3, backoffMs: [60_000, 300_000], leaseMs: 10 * 60_000 });

/** Every day at 04:10; a day missed while vidlib was down runs at the next start. */
export const JOBS_PRUNE_SCHEDULE: Schedule<null> = { name: "jobs-prune-daily", pattern: "10 4 * * *", kind: JOBS_PRUNE, payload: () => null };

/** Deletes done and cancelled jobs after a week and failed ones after a month; says how many went. */
export async function pruneFinishedJobs(store: JobStore, clock: Clock, retention = JOB_RETENTION): Promise<number> {
  const now = clock.now();
  let removed = 0;
  for (const [states, days] of [[["done", "cancelled"], retention.doneDays], [["failed"], retention.failedDays]] as const) {
    for (;;) {
      const n = await store.deleteFinished(states, now - days * DAY_MS, BATCH);
      removed += n;
      if (n < BATCH) break;
    }
  }
  return removed;
}

export function pruneJobsJob(store: JobStore, clock: Clock, logger: { info(fields: object, message: string): void }): JobHandler<null> {
  return async () => {
    const removed = await pruneFinishedJobs(store, clock);
    if (removed > 0) logger.info({ removed }, "finished jobs older than their retention removed");
  };
}
