import { jobKind, type JobRecord } from "../jobs/job.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { coalescedKeys, enqueueCoalesced } from "../jobs/coalesce.js";

/**
 * Failures before the whole request reached Telegram (no connection, the upload cut short) and 5xx answers
 * are tried again after these delays, then the item fails. A failure after that is never retried: see Delivery.uncertain().
 */
export const SEND_RETRY_DELAYS_MS = [5_000, 15_000, 45_000] as const;
/** Sends: the first and one after each retry delay. */
export const SEND_ATTEMPTS = SEND_RETRY_DELAYS_MS.length + 1;

export interface UploadPayload {
  readonly uploadId: number;
}

/**
 * One turn of one upload item. Its group is its channel, so at most one send per channel runs across all
 * processes; its priority is the item's place in line (seq), so ⏫ moves it first. One attempt more than
 * sends: a process that died mid-send on the last send is still taken over, and the handler marks the item
 * uncertain instead of the engine failing it silently. A lease renewed every 20 s while the file goes up.
 */
export const UPLOAD_SEND = jobKind<UploadPayload>({ name: "upload.send", maxAttempts: SEND_ATTEMPTS + 1, backoffMs: SEND_RETRY_DELAYS_MS, leaseMs: 60_000 });

/** A look at the channel for an item that may have been sent (runAt: when it is due, after the quiet time). */
export const UPLOAD_SETTLE = jobKind<UploadPayload>({ name: "upload.settle", maxAttempts: 3, backoffMs: [60_000], leaseMs: 5 * 60_000 });

/** Videos whose category was just set: queued for their channel when auto-publish is on. */
export const PUBLISH_AUTO = jobKind<{ readonly videoIds: readonly number[] }>({ name: "publish.auto", maxAttempts: 3, backoffMs: [60_000], leaseMs: 5 * 60_000 });

/** Items sent at once by one process: at most one per channel, so this many channels are served in parallel. */
export const UPLOAD_LANES = 8;

const uploadKey = (uploadId: number): string => `upload:${uploadId}`;
/**
 * An item's send jobs are coalesced (src/services/jobs/coalesce.ts): a send asked for while its job still runs
 * (an approval while the turn that posted the draft is ending) is queued behind it, not folded into a job
 * that has already read the item. The channel's group keeps the two in order, and a turn that finds nothing
 * to do for its item ends at once.
 */
const sendKeys = (uploadId: number): readonly string[] => coalescedKeys(uploadKey(uploadId));
export const channelGroup = (channelId: number | null): string | null => (channelId === null ? null : `channel:${channelId}`);

/** The upload queue's engine jobs, as the publishing services start, move and drop them. */
export class UploadJobs {
  constructor(private readonly jobs: JobQueue) {}

  /** Queues the send of an item (idempotent: an unfinished one is returned); returns the engine job's id. */
  async send(uploadId: number, channelId: number | null, seq: number, runAt?: number): Promise<number> {
    const job = await enqueueCoalesced(this.jobs, UPLOAD_SEND, { uploadId }, uploadKey(uploadId), { group: channelGroup(channelId) ?? undefined, priority: Math.round(seq), runAt });
    return job.id;
  }

  /** The item's unfinished send jobs (at most one running and one waiting). */
  async sends(uploadId: number): Promise<JobRecord[]> {
    const found = await Promise.all(sendKeys(uploadId).map((key) => this.jobs.find(UPLOAD_SEND, key)));
    return found.filter((job): job is JobRecord => job !== null);
  }

  /** Sends an item again whose send was parked (uncertain): its engine job, with fresh attempts; false when there is none. */
  async resend(uploadId: number): Promise<boolean> {
    const parked = (await this.sends(uploadId)).find((job) => job.state === "parked");
    return parked !== undefined && (await this.jobs.retry(parked.id));
  }

  /** Drops the waiting sends and look of an item (cancelled, or settled by a person). */
  async drop(uploadId: number): Promise<void> {
    const look = await this.jobs.find(UPLOAD_SETTLE, uploadKey(uploadId));
    for (const job of [...await this.sends(uploadId), ...(look === null ? [] : [look])]) {
      if (job.state !== "running") await this.jobs.cancel(job.id);
    }
  }

  /** Moves a waiting item's send to its new place in line. */
  async reorder(uploadId: number, seq: number): Promise<void> {
    for (const key of sendKeys(uploadId)) await this.jobs.reprioritise(UPLOAD_SEND, key, Math.round(seq));
  }

  /** Looks at the channel for an item that may have been sent, at `at` (in its channel's turn). */
  async settle(uploadId: number, channelId: number | null, at: number): Promise<void> {
    await this.jobs.enqueue(UPLOAD_SETTLE, { uploadId }, { key: uploadKey(uploadId), group: channelGroup(channelId) ?? undefined, runAt: at });
  }

  /** Videos whose category was just set: the auto-publish check. */
  async categorySet(videoIds: readonly number[]): Promise<void> {
    if (videoIds.length > 0) await this.jobs.enqueue(PUBLISH_AUTO, { videoIds });
  }
}
