import { InlineKeyboard } from "grammy";
import type { QueueCounts, UploadSummary } from "../../services/publish/upload-job.js";
import { countOf, formatCount } from "../../services/shared/units.js";
import { can } from "../../services/people/permissions.js";
import type { Role } from "../../entities/user.js";
import type { BotServices } from "../context.js";
import { escapeHtml } from "../format.js";
import { label, type View } from "./view.js";
import { messageWithList } from "../../infra/telegram/limits.js";
import { postLink } from "../../services/publish/routing.js";
import { QUEUE_BUTTONS } from "../features/queue/buttons.js";
import { REVIEW_BUTTONS } from "../features/review/buttons.js";
import { POST_BUTTONS } from "../features/publishing/buttons.js";

function itemLine(item: UploadSummary, n: number, now: number): string {
  const name = escapeHtml(label(item.fileName, 60));
  const to = item.channelTitle === null ? "" : ` → ${escapeHtml(item.channelTitle)}`;
  switch (item.state) {
    case "uploading": return `📤 ${name}${to}: sending now`;
    case "uncertain": return `⚠️ ${name}${to}: may have been sent — check the channel, then Resend or Mark sent`;
    case "converting": return `${n}. ${name}${to}: waiting for its conversion to MP4`;
    case "queued": return item.notBefore > now
      ? `${n}. ${name}${to}: waiting to retry in ${Math.ceil((item.notBefore - now) / 1000)} s (${escapeHtml(item.reason ?? "")})`
      : `${n}. ${name}${to}`;
    case "failed": return `❌ ${name}: ${escapeHtml(label(item.reason ?? "failed", 160))}`;
    case "review": return `🔍 ${name}${to}: draft waiting for review${item.draft === null ? "" : ` (${draftLink(item.draft)})`}`;
    default: return `${name}: ${item.state}`;
  }
}

function draftLink(draft: { chatId: number; messageId: number }): string {
  // Drafts in a channel can be opened by link; in a private chat the person scrolls to it.
  return draft.chatId < 0 ? `<a href="${escapeHtml(postLink({ chatId: draft.chatId, username: null }, draft.messageId))}">open the draft</a>` : "in the owner's chat";
}

/** /queue: the counts, the next items, and the controls. */
export function queueView(overview: { counts: QueueCounts; items: readonly UploadSummary[]; paused: boolean }, now: number,
  posts: { staleCaptions: number; misplaced: number } = { staleCaptions: 0, misplaced: 0 }, controls = true): View {
  const { counts, items, paused } = overview;
  const c = (n: number): string => formatCount(n);
  let n = 0;
  const lines = items.map((item) => itemLine(item, item.state === "queued" || item.state === "converting" ? ++n : 0, now));
  const head = [
    `📤 <b>Upload queue</b>${paused ? " — ⏸ <b>paused</b>: nothing is sent until you resume" : ""}`,
    `queued ${c(counts.queued)} · converting ${c(counts.converting)} · uploading ${c(counts.uploading)} · waiting to retry ${c(counts.retrying)} · failed ${c(counts.failed)} · sent today ${c(counts.sentToday)}` +
      (counts.uncertain > 0 ? ` · <b>needs a decision ${c(counts.uncertain)}</b>` : "") +
      (counts.review > 0 ? ` · <b>awaiting review ${c(counts.review)}</b>` : ""),
    "",
  ].join("\n");
  const tail = [
    ...(posts.staleCaptions > 0 ? ["", posts.staleCaptions === 1 ? "✏️ 1 published caption no longer matches its video's tags or category." : `✏️ ${c(posts.staleCaptions)} published captions no longer match their videos' tags or category.`] : []),
    ...(posts.misplaced > 0 ? ["", posts.misplaced === 1 ? "📂 1 video is posted in a channel its category no longer maps to." : `📂 ${c(posts.misplaced)} videos are posted in a channel their category no longer maps to.`] : []),
  ].join("\n");
  const text = messageWithList(head, lines.length === 0 ? ["Nothing is waiting. Send a video from its card, or all results of a search."] : lines, tail,
    { more: (hidden) => `… and ${countOf(hidden, "more item", "more items")}` });
  // Editors see the queue; only those who publish get its controls.
  if (!controls) return { text, keyboard: new InlineKeyboard().text("🔄 Refresh", QUEUE_BUTTONS.refresh.pack({})) };
  const keyboard = new InlineKeyboard()
    .text(paused ? "▶️ Resume" : "⏸ Pause", (paused ? QUEUE_BUTTONS.resume : QUEUE_BUTTONS.pause).pack({}))
    .text("🔄 Refresh", QUEUE_BUTTONS.refresh.pack({}));
  if (counts.failed > 0) keyboard.text(`🔁 Retry failed (${c(counts.failed)})`, QUEUE_BUTTONS.retryFailed.pack({}));
  keyboard.row();
  if (posts.staleCaptions > 0) keyboard.text(`✏️ Update ${countOf(posts.staleCaptions, "caption", "captions")}`, POST_BUTTONS.updateAllCaptions.pack({ legacy: 0 })).row();
  if (posts.misplaced > 0) keyboard.text(posts.misplaced === 1 ? "📤 Move it to its new channel" : `📤 Move ${c(posts.misplaced)} to their new channel`, POST_BUTTONS.moveAll.pack({ legacy: 0 })).row();
  let waiting = 0;
  for (const item of items) {
    if (item.state === "review") {
      keyboard.text(label(`✅ Approve ${item.fileName}`, 30), REVIEW_BUTTONS.approve.pack({ jobId: item.id })).text("❌ Reject", REVIEW_BUTTONS.reject.pack({ jobId: item.id })).row();
    } else if (item.state === "uncertain") {
      keyboard.text(label(`↻ Resend ${item.fileName}`, 30), QUEUE_BUTTONS.resend.pack({ jobId: item.id })).text("✔ Mark sent", QUEUE_BUTTONS.markSent.pack({ jobId: item.id })).row();
    } else if ((item.state === "queued" || item.state === "converting") && waiting < 5) {
      waiting++;
      keyboard.text(label(`⏫ ${item.fileName}`, 30), QUEUE_BUTTONS.toFront.pack({ jobId: item.id })).text("✖ Cancel", QUEUE_BUTTONS.cancel.pack({ jobId: item.id })).row();
    }
  }
  return { text, keyboard };
}

/** /queue as this person may see it: the controls only for those who publish (shared by the queue and the review buttons beside its drafts). */
export async function queueViewFor({ uploads, posts }: Pick<BotServices, "uploads" | "posts">, role: Role | null): Promise<View> {
  const published = { staleCaptions: (await posts.staleCaptions()).length, misplaced: (await posts.misplaced()).length };
  return queueView(await uploads.overview(20), Date.now(), published, can(role, "publish"));
}
