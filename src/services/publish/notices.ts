import { html } from "../telegram-html.js";
import { countOf, formatCount } from "../units.js";
import type { AdminNotifier } from "../notifier.js";

export type PublishNotice =
  | { readonly kind: "sent"; readonly fileName: string; readonly channel: string; readonly link: string | null }
  | { readonly kind: "failed"; readonly fileName: string; readonly channel: string | null; readonly reason: string }
  /** The request reached Telegram but no answer came back: it may have been posted. */
  | { readonly kind: "uncertain"; readonly fileName: string; readonly channel: string; readonly reason: string }
  /** One that may have been sent, settled by vidlib looking at the channel: found there, or not (then sent again). */
  | { readonly kind: "settled"; readonly fileName: string; readonly channel: string; readonly link: string | null; readonly sent: boolean };

const MAX_LINES = 20;

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
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.notifier.notifyAdmins(noticeText(batch)));
    return this.flushing;
  }
}

const formatMore = (n: number): string => `${formatCount(n)} more`;
const cut = (text: string, max: number): string => ([...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text);

/** Lines up to a budget of characters (Telegram's limit is 4096), then how many were left out. */
function within(lines: readonly string[], budget: number, more: (n: number) => string): string[] {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    if (used + line.length > budget || out.length >= MAX_LINES) return [...out, more(lines.length - i)];
    out.push(line);
    used += line.length + 1;
  }
  return out;
}

/** One message for a batch of notices: the posts with their links, those that may have been sent, then the failures with their reasons. */
export function noticeText(batch: readonly PublishNotice[]): string {
  const sent = batch.filter((n) => n.kind === "sent");
  const failed = batch.filter((n) => n.kind === "failed");
  const uncertain = batch.filter((n) => n.kind === "uncertain");
  const settled = batch.filter((n) => n.kind === "settled");
  const parts: string[] = [];
  if (sent.length > 0) {
    const lines = sent.map((n) => n.link === null
      ? html`• ${cut(n.fileName, 80)} → ${cut(n.channel, 60)}`
      : `• <a href="${html`${n.link}`}">${html`${cut(n.fileName, 80)}`}</a> → ${html`${cut(n.channel, 60)}`}`);
    parts.push([`📤 Posted ${countOf(sent.length, "video", "videos")}:`, ...within(lines, 1200, (n) => `…and ${formatMore(n)}`)].join("\n"));
  }
  if (settled.length > 0) {
    const lines = settled.map((n) => n.sent && n.link !== null
      ? `• <a href="${html`${n.link}`}">${html`${cut(n.fileName, 80)}`}</a> → ${html`${cut(n.channel, 60)}`}: it was posted`
      : html`• ${cut(n.fileName, 80)} → ${cut(n.channel, 60)}: ${n.sent ? "it was posted" : "it was not posted; it is sent again"}`);
    parts.push([`🔎 ${countOf(settled.length, "upload", "uploads")} that may have been sent ${settled.length === 1 ? "was" : "were"} checked in the channel:`,
      ...within(lines, 1200, (n) => `…and ${formatMore(n)}`)].join("\n"));
  }
  if (uncertain.length > 0) {
    const lines = uncertain.map((n) => html`• ${cut(n.fileName, 80)} → ${cut(n.channel, 80)}: ${cut(n.reason, 160)}`);
    parts.push([`⚠️ ${countOf(uncertain.length, "upload", "uploads")} may have been sent: the request may have reached Telegram, but no answer came back.`,
      ...within(lines, 1200, (n) => `…and ${formatMore(n)} (see /queue)`),
      `Check the channel, then choose in /queue: Resend, or Mark sent. vidlib does not send ${uncertain.length === 1 ? "it" : "these"} again by itself.`].join("\n"));
  }
  if (failed.length > 0) {
    const lines = failed.map((n) => html`• ${cut(n.fileName, 80)}${n.channel === null ? "" : ` → ${cut(n.channel, 60)}`}: ${cut(n.reason, 160)}`);
    parts.push([`❌ ${countOf(failed.length, "upload", "uploads")} failed:`, ...within(lines, 1200, (n) => `…and ${formatMore(n)} (see /queue)`),
      "/queue retries failed uploads."].join("\n"));
  }
  return parts.join("\n\n");
}
