import type { Logger } from "../infra/logger.js";

/** Once an hour (and at start), removes trashed files whose days are up: cleanup's and sync's. Each purger returns how many it removed. */
export class TrashWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly purgers: readonly (() => Promise<number>)[], private readonly logger: Logger, private readonly intervalMs = 3_600_000) {}

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
    this.running ??= Promise.all(this.purgers.map((purge) => purge()))
      .then((counts) => {
        const n = counts.reduce((a, b) => a + b, 0);
        if (n > 0) this.logger.info({ removed: n }, "expired files removed from the trash");
      },
        (err: unknown) => this.logger.warn({ err }, "could not empty the trash"))
      .finally(() => { this.running = undefined; });
  }
}
