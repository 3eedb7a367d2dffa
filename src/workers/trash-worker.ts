import type { Logger } from "../infra/logger.js";
import type { DupeService } from "../services/dupes/dupe-service.js";

/** Once an hour (and at start), removes trashed files whose days are up. */
export class TrashWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly dupes: DupeService, private readonly logger: Logger, private readonly intervalMs = 3_600_000) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    this.running ??= this.dupes.purgeExpired()
      .then((n) => { if (n > 0) this.logger.info({ removed: n }, "expired files removed from the trash"); },
        (err: unknown) => this.logger.warn({ err }, "could not empty the trash"))
      .finally(() => { this.running = undefined; });
  }
}
