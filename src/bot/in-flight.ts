import type { MiddlewareFn } from "grammy";

/** Counts updates being handled, so shutdown can wait for them after polling stops. */
export class InFlightUpdates {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  readonly middleware: MiddlewareFn = async (_ctx, next) => {
    this.count++;
    try {
      await next();
    } finally {
      this.count--;
      if (this.count === 0) this.waiters.splice(0).forEach((resolve) => resolve());
    }
  };

  /** Resolves true when nothing is in flight, or false when the timeout ends first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
