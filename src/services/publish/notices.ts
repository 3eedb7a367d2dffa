import type { AdminNotifier } from "../notices/notifier.js";

export type PublishNotice =
  | { readonly kind: "sent"; readonly fileName: string; readonly channel: string; readonly link: string | null }
  | { readonly kind: "failed"; readonly fileName: string; readonly channel: string | null; readonly reason: string }
  /** The request reached Telegram but no answer came back: it may have been posted. */
  | { readonly kind: "uncertain"; readonly fileName: string; readonly channel: string; readonly reason: string }
  /** One that may have been sent, settled by vidlib looking at the channel: found there, or not (then sent again). */
  | { readonly kind: "settled"; readonly fileName: string; readonly channel: string; readonly link: string | null; readonly sent: boolean };

/**
 * Collects post and failure notices and sends them to the admins as one message once the queue has
 * been quiet for `quietMs` (or `maxWaitMs` after the first), so fifty posts make one message, not fifty.
 */
export class PublishNotices {
  private pending: PublishNotice[] = [];
  private quiet: NodeJS.Timeout | undefined;
  private firstAt = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly notifier: AdminNotifier, private readonly options: { quietMs: number; maxWaitMs: number } = { quietMs: 3000, maxWaitMs: 20_000 }) {}

  add(notice: PublishNotice): void {
    if (this.pending.length === 0) this.firstAt = Date.now();
    this.pending.push(notice);
    clearTimeout(this.quiet);
    const wait = Math.max(0, Math.min(this.options.quietMs, this.firstAt + this.options.maxWaitMs - Date.now()));
    this.quiet = setTimeout(() => void this.flush(), wait);
    this.quiet.unref();
  }

  /** Sends what is pending now (also at shutdown). */
  flush(): Promise<void> {
    clearTimeout(this.quiet);
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.notifier.notifyAdmins({ kind: "publish.batch", notices: batch }));
    return this.flushing;
  }
}
