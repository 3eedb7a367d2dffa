import type { MiddlewareFn } from "grammy";

/**
 * Counts updates being handled, so shutdown can wait for them after polling stops.
 *
 * Why not the runner's own stop(): with the concurrent sink that `run(bot)` uses (@grammyjs/runner 2.0.3),
 * `handle.stop()` and `handle.task()` resolve once the polling loop ends, not when handlers finish.
 * In out/runner.js, `createRunner` loops `for await (const updates of source.generator())` over
 * `await sink.handle(updates)`; `createConcurrentSink` (out/sink.js) makes `handle` `q.add(updates)`,
 * and `DecayingDeque.add` (out/queue.js) starts every update's middleware and returns `this.capacity()`,
 * which resolves as soon as fewer than `concurrency` (500) updates are running: at once, in practice.
 * `stop()` closes the source, the loop exits and the task settles while middleware may still be
 * running. The queue has an `empty()` promise, but the sink does not expose it (only `handle`, `size`
 * and `snapshot`), and waiting on `handle.size()` would mean polling. So this counter stays, and
 * `drain` keeps its timeout so that a stuck handler cannot hold shutdown forever.
 */
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
