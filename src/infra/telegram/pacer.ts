import Bottleneck from "bottleneck";
import type { Pacer } from "../../services/publish/ports.js";

export interface PacerOptions {
  /** Telegram allows about 20 posts a minute in one channel. */
  readonly postsPerMinutePerChannel: number;
  /** …and about 30 requests a second overall. */
  readonly requestsPerSecond: number;
}

// Requests leave here evenly spaced but reach Telegram with a few milliseconds of jitter; a small margin
// keeps the 21st post of a minute from arriving a hair early.
const MARGIN_MS = 50;

/**
 * Paces sends with bottleneck: one at a time per channel, evenly spaced under the per-channel rate, all
 * of them chained to an overall limiter; after a 429 the channel waits exactly as long as Telegram asked.
 */
export class BottleneckPacer implements Pacer {
  private readonly overall: Bottleneck;
  private readonly channels = new Map<number, Bottleneck>();
  private readonly heldUntil = new Map<number, number>();

  constructor(private readonly options: PacerOptions) {
    this.overall = new Bottleneck({ minTime: Math.ceil(1000 / options.requestsPerSecond) + 1 });
  }

  schedule<T>(channelKey: number, work: () => Promise<T>): Promise<T> {
    return this.limiterFor(channelKey).schedule(async () => {
      const wait = (this.heldUntil.get(channelKey) ?? 0) - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return work();
    });
  }

  holdOff(channelKey: number, ms: number): void {
    this.heldUntil.set(channelKey, Math.max(this.heldUntil.get(channelKey) ?? 0, Date.now() + ms));
  }

  private limiterFor(channelKey: number): Bottleneck {
    let limiter = this.channels.get(channelKey);
    if (limiter === undefined) {
      limiter = new Bottleneck({ maxConcurrent: 1, minTime: Math.ceil(60_000 / this.options.postsPerMinutePerChannel) + MARGIN_MS });
      limiter.chain(this.overall);
      this.channels.set(channelKey, limiter);
    }
    return limiter;
  }
}
