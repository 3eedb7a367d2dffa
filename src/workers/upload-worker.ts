import type { Logger } from "../infra/logger.js";
import type { Delivery } from "../services/publish/delivery.js";
import type { PublishNotices } from "../services/publish/notices.js";
import type { UncertainSettlement } from "../services/publish/settlement.js";
import type { UploadQueueService } from "../services/publish/publish-service.js";

export interface UploadWorkerOptions {
  readonly pollMs: number;
  /** Items handled at once; at most one per channel, so this is how many channels are served in parallel. */
  readonly maxLanes: number;
  /** How often conversions that ended and new categories (auto-publish) are looked at. */
  readonly housekeepingMs: number;
}

/** Sends the upload queue in order, one item at a time per channel and several channels at once. */
export class UploadWorker {
  private readonly busyChannels = new Set<number>();
  private readonly inHand = new Set<number>();
  private readonly lanes = new Set<Promise<void>>();
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();
  private lastHousekeeping = 0;
  private wake: (() => void) | null = null;
  /** The looks at channels for uploads that may have been sent, run beside the sends (they have their own pacing lane). */
  private settling: Promise<void> | null = null;

  constructor(private readonly queue: UploadQueueService, private readonly delivery: Delivery, private readonly notices: PublishNotices,
    private readonly logger: Logger, private readonly settlement: UncertainSettlement | null = null,
    private readonly options: UploadWorkerOptions = { pollMs: 250, maxLanes: 8, housekeepingMs: 2000 }) {}

  /** Marks items a stopped process left mid-send as uncertain (once), then starts sending. */
  async start(): Promise<void> {
    const interrupted = await this.queue.recoverInterrupted();
    if (interrupted.length > 0) this.logger.warn({ jobs: interrupted.map((j) => j.id) }, "uploads interrupted by a stop wait for a decision");
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.delivery.stop();
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.lanes]);
    await this.settling;
    await this.notices.flush();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.fill();
      } catch (err) {
        this.logger.error({ err }, "the upload worker hit an unexpected error");
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  private async fill(): Promise<void> {
    if (Date.now() - this.lastHousekeeping >= this.options.housekeepingMs) {
      this.lastHousekeeping = Date.now();
      const auto = await this.queue.enqueueAutomatic();
      if (auto > 0) this.logger.info({ queued: auto }, "videos queued for their channel automatically");
      await this.delivery.wakeConverted();
      this.settleDue();
    }
    while (!this.stopping && !this.queue.paused && this.lanes.size < this.options.maxLanes) {
      const next = await this.queue.nextDue(this.busyChannels, this.inHand);
      if (next === null) return;
      const { job, channelId } = next;
      if (channelId !== null) this.busyChannels.add(channelId);
      this.inHand.add(job.id);
      const lane: Promise<void> = this.delivery.run(job)
        .then((outcome) => this.logger.debug({ job: job.id, videoId: job.videoId, outcome }, "upload turn"))
        .catch(async (err: unknown) => {
          this.logger.error({ err, job: job.id, videoId: job.videoId }, "an upload failed unexpectedly");
          await this.queue.afterUnexpected(job.id, err instanceof Error ? err.message : String(err)).catch(() => undefined);
        })
        .finally(() => {
          if (channelId !== null) this.busyChannels.delete(channelId);
          this.inHand.delete(job.id);
          this.lanes.delete(lane);
          this.wake?.();
        });
      this.lanes.add(lane);
    }
  }

  /** Starts the due looks at channels (after a restart, after a quiet time) unless some are still under way. */
  private settleDue(): void {
    if (this.settlement === null || this.settling !== null || this.stopping) return;
    this.settling = this.settlement.due()
      .then((n) => { if (n > 0) this.logger.info({ looked: n }, "looked at channels for uploads that may have been sent"); })
      .catch((err: unknown) => this.logger.error({ err }, "looking at a channel for an upload that may have been sent failed"))
      .finally(() => { this.settling = null; });
  }
}
