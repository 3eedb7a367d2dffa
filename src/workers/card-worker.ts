import type { Logger } from "../infra/logger.js";
import type { CardRefreshService } from "../services/catalog/card-refresh.js";

/** Every few seconds, edits the video cards whose video changed (status, tags, category), wherever they are shown. */
export class CardWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly cards: CardRefreshService, private readonly logger: Logger, private readonly intervalMs = 2000) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => { this.running = undefined; });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const edited = await this.cards.refreshStale();
      if (edited > 0) this.logger.debug({ edited }, "video cards refreshed");
    } catch (err) {
      this.logger.warn({ err }, "could not refresh video cards");
    }
  }
}
