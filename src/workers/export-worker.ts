import type { Logger } from "../infra/logger.js";
import type { ExportService } from "../services/export/export-service.js";

/** Runs queued HLS exports one at a time in the background (each uses the processor fully). */
export class ExportWorker {
  private timer: NodeJS.Timeout | undefined;
  private lane: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly exports: ExportService, private readonly logger: Logger, private readonly pollMs = 2000) {}

  async start(): Promise<void> {
    const recovered = await this.exports.recover();
    if (recovered > 0) this.logger.info({ recovered }, "interrupted HLS exports start again");
    this.timer = setInterval(() => this.tick(), this.pollMs);
    this.timer.unref();
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.exports.stopAll();
    await this.lane;
  }

  private tick(): void {
    if (this.stopping || this.lane !== undefined) return;
    this.lane = (async () => {
      try {
        while (!this.stopping && (await this.exports.runNext()));
      } catch (err) {
        this.logger.error({ err }, "an HLS export failed unexpectedly");
      }
    })().finally(() => { this.lane = undefined; });
  }
}
