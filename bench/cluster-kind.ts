import { jobKind } from "../src/services/jobs/job.js";

/** The cluster bench's job: does nothing, so the figures are the engine's own cost. */
export const NOOP = jobKind<null>({ name: "noop", maxAttempts: 3, backoffMs: [1000], leaseMs: 30_000 });
/** Slots per worker process. */
export const SLOTS = 4;
