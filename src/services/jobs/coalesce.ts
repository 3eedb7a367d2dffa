import type { EnqueueOptions, JobKind } from "./job.js";
import type { JobQueue } from "./job-queue.js";

/**
 * Enqueues follow-up work that coalesces on a key and never misses a change. While its job is queued it has
 * read nothing yet, so it will see the change that asked for it: nothing more is needed. A running one may
 * already have read, so one more job is queued behind it, keyed by the running job's id: a burst of changes
 * during one run adds one job, not one per change.
 */
export async function enqueueCoalesced<P>(queue: JobQueue, kind: JobKind<P>, payload: P, key: string, options: Omit<EnqueueOptions, "key"> = {}): Promise<void> {
  const first = await queue.enqueue(kind, payload, { ...options, key });
  if (first.created || first.job.state === "queued") return;
  await queue.enqueue(kind, payload, { ...options, key: `${key}:after:${first.job.id}` });
}
