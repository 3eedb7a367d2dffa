import { html } from "../format.js";
import { countOf, formatCount } from "../../services/shared/units.js";
import type { PublishNotice } from "../../services/publish/notices.js";

const MAX_LINES = 20;

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
