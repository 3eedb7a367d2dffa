import type { EnqueueOptions, JobKind, JobRecord } from "./job.js";
import type { JobQueue } from "./job-queue.js";

/** The two keys a coalesced request uses: the job itself, and the one waiting behind it while it runs. */
export const coalescedKeys = (key: string): readonly [string, string] => [key, `${key}:next`];

/**
 * Enqueues work that coalesces on a key and never misses a request. A waiting job has read nothing yet, so
 * it will see whatever asked for it: the request joins it (and moves its start forward if it asks for sooner).
 * A running one may already have read, so one job is queued behind it under the second key. So however many
 * requests arrive, at most one job waits and one runs. For kinds that run one job of a key at a time (a
 * concurrency of one, or a group). Returns the job the request joined or made.
 */
export async function enqueueCoalesced<P>(queue: JobQueue, kind: JobKind<P>, payload: P, key: string,
  options: Omit<EnqueueOptions, "key"> = {}): Promise<JobRecord> {
  let running: JobRecord | null = null;
  for (const k of coalescedKeys(key)) {
    const { job, created } = await queue.enqueue(kind, payload, { ...options, key: k });
    // A new job may be claimed before enqueue returns: it is this request's all the same.
    if (created) return job;
    if (job.state !== "running") {
      if (options.runAt !== undefined && job.state === "queued" && job.runAt > options.runAt) await queue.runSooner(job.id, options.runAt, kind.name);
      return job;
    }
    running = job;
  }
  return running!;
}
