import { jobKind, type JobHandler } from "../jobs/job.js";

/** Transient failures (an unmounted share, a full disk) are tried again after these delays, then given up. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000] as const;

/** What the engine stores for a conversion: the history row it runs. */
export interface ConversionPayload {
  readonly conversionId: number;
}

/**
 * One conversion of a video. Four attempts (the first and one after each retry delay); a lease renewed every
 * 15 s, so a cancel from any process stops ffmpeg within that, and a process that died is taken over after 45 s.
 */
export const CONVERSION = jobKind<ConversionPayload>({ name: "conversion", maxAttempts: RETRY_DELAYS_MS.length + 1, backoffMs: RETRY_DELAYS_MS, leaseMs: 45_000 });

/** A sweep that queues new non-MP4 recordings when automatic conversion is on; enqueued after a scan indexed new files. */
export const CONVERSION_AUTO = jobKind<null>({ name: "conversion.auto", maxAttempts: 3, backoffMs: [60_000], leaseMs: 5 * 60_000 });

/** The engine's idempotency key: one unfinished conversion job per video. */
export const conversionKey = (videoId: number): string => `video:${videoId}`;

/** The sweep as a job: says how many recordings it queued. */
export function autoConvertJob(conversions: { enqueueAutomatic(): Promise<number> }, logger: { info(fields: object, message: string): void }): JobHandler<null> {
  return async () => {
    const queued = await conversions.enqueueAutomatic();
    if (queued > 0) logger.info({ queued }, "new files queued for automatic conversion");
  };
}
