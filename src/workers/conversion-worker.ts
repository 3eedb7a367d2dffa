import type { Logger } from "../infra/logger.js";
import type { ConversionService } from "../services/conversion/conversion-service.js";

/** Runs due conversion jobs in the background, as many at once as the concurrency setting allows. */
export class ConversionWorker {
  private timer: NodeJS.Timeout | undefined;
  private readonly lanes = new Set<Promise<void>>();
  private stopping = false;
  private lastAuto = 0;
  private lastRecovery = 0;

  constructor(private readonly conversions: ConversionService, private readonly logger: Logger,
    private readonly options: { pollMs: number; autoEveryMs: number } = { pollMs: 1000, autoEveryMs: 10_000 }) {}

  /** Restarts jobs a stopped process left behind, then polls for due jobs. */
  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.pollMs);
    this.timer.unref();
    this.tick();
  }

  /** Stops ffmpeg for running jobs (they start again next time) and waits for them to wind down. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.conversions.stopAll();
    await Promise.allSettled([...this.lanes]);
  }

  private tick(): void {
    if (this.stopping) return;
    const now = Date.now();
    if (now - this.lastRecovery >= 15_000) {
      this.lastRecovery = now;
      this.conversions.recover().then((n) => { if (n > 0) this.logger.info({ recovered: n }, "interrupted conversions start again"); },        (err: unknown) => this.logger.warn({ err }, "could not recover interrupted conversions"));
    }
    if (now - this.lastAuto >= this.options.autoEveryMs) {
      this.lastAuto = now;
      this.conversions.enqueueAutomatic().then((n) => { if (n > 0) this.logger.info({ queued: n }, "new files queued for automatic conversion"); },
        (err: unknown) => this.logger.warn({ err }, "could not queue automatic conversions"));
    }
    while (this.lanes.size < this.conversions.concurrency) {
      const lane: Promise<void> = this.lane().finally(() => this.lanes.delete(lane));
      this.lanes.add(lane);
    }
  }

  /** Runs jobs one after another until none is due. */
  private async lane(): Promise<void> {
    try {
      while (!this.stopping && this.lanes.size <= this.conversions.concurrency && (await this.conversions.runNext()));
    } catch (err) {
      this.logger.error({ err }, "a conversion failed unexpectedly");
    }
  }
}
