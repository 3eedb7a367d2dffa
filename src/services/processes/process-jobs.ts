import { jobKind, type Schedule } from "../jobs/job.js";
import type { ProcessRegistry } from "./process-registry.js";

/** Looks for processes that fell silent and tells the admins once about each; run by the primary, every minute. */
export const PROCESSES_CHECK = jobKind<null>({ name: "processes.check", maxAttempts: 2, backoffMs: [30_000], leaseMs: 60_000 });
export const PROCESSES_CHECK_SCHEDULE: Schedule<null> = { name: "processes-check", everyMinutes: 1, kind: PROCESSES_CHECK, payload: () => null };

export const processesCheckJob = (registry: ProcessRegistry) => async (): Promise<void> => {
  await registry.reportLost();
};
