import { systemActor } from "../people/actor.js";
import type { Clock } from "../shared/clock.js";
import { jobKind, type JobHandler, type Schedule } from "../jobs/job.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { enqueueCoalesced } from "../jobs/coalesce.js";
import type { LibraryService } from "./library-service.js";

/** Why the scan runs, shown to whoever follows it ("at start-up", "by the periodic reconcile"). */
export interface ScanRequest {
  readonly reason: string;
}

/** A scan of every library folder. Its lease is renewed by the runner's heartbeat while the scan lasts. */
export const LIBRARY_SCAN = jobKind<ScanRequest>({ name: "library.scan", maxAttempts: 3, backoffMs: [60_000, 300_000], leaseMs: 60_000 });

/** The periodic reconcile: a full scan every `minutes` (watchers miss events, on shares especially). */
export function reconcileSchedule(minutes: number): Schedule<ScanRequest> {
  return { name: "library-reconcile", everyMinutes: minutes, kind: LIBRARY_SCAN, payload: () => ({ reason: "by the periodic reconcile" }) };
}

/**
 * Asks for a scan in `delayMs` (or sooner, if one is already waiting). Coalesced: however many changes arrive
 * during a long scan, at most one scan waits behind the one running.
 */
export async function requestScan(jobs: JobQueue, clock: Clock, reason: string, delayMs = 0): Promise<void> {
  await enqueueCoalesced(jobs, LIBRARY_SCAN, { reason }, "library-scan", { runAt: clock.now() + delayMs });
}

export interface ScanJobHooks {
  readonly logger: { info(fields: object, message: string): void };
  /** Called when the scan found files still being copied: ask for a scan once they have settled. */
  readonly onSettling: () => Promise<void>;
}

/**
 * Runs a scan; one already running (someone's /scan) is waited for first, then this one runs, since the
 * change it was asked for may have come after that one listed its folder. Stopping cancels the scan,
 * which writes nothing, and the engine hands the job back.
 */
export function libraryScanJob(library: LibraryService, hooks: ScanJobHooks): JobHandler<ScanRequest> {
  return async ({ payload, signal }) => {
    const cancel = () => library.cancelScan();
    signal.addEventListener("abort", cancel, { once: true });
    try {
      for (;;) {
        signal.throwIfAborted();
        const start = library.startScan(systemActor("scanner"), undefined, payload.reason);
        if (!start.started) {
          await start.report.catch(() => undefined);
          continue;
        }
        const report = await start.report;
        hooks.logger.info({ reason: payload.reason, found: report.found, new: report.new, changed: report.changed, moved: report.moved,
          missing: report.missing, unreadable: report.unreadable }, "library scanned");
        if (report.settling > 0) await hooks.onSettling();
        return;
      }
    } finally {
      signal.removeEventListener("abort", cancel);
    }
  };
}
