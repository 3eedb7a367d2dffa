import { jobKind, type JobHandler } from "../jobs/job.js";
import type { ExportService } from "./export-service.js";

/** The export's row in /exports, and its video (for the log and a person reading the job). */
export interface ExportPayload {
  readonly exportId: number;
  readonly videoId: number;
}

/**
 * An HLS export on the job engine, keyed per video (`video:<id>`). A failed ffmpeg run or verification is
 * final, as it was before the engine; the attempts are for a process that died or an unexpected error.
 * The lease is renewed every third of it while ffmpeg runs, so a long lecture holds it.
 */
export const EXPORT_HLS = jobKind<ExportPayload>({ name: "export.hls", maxAttempts: 3, backoffMs: [60_000, 300_000], leaseMs: 2 * 60_000 });

/** One export at a time: each uses the processor fully. */
export const EXPORT_CONCURRENCY = 1;

/** Runs the export a job names. */
export function exportHlsJob(exports: ExportService): JobHandler<ExportPayload> {
  return (context) => exports.run(context);
}
