import { InlineKeyboard } from "grammy";
import type { AuditEvent } from "../../entities/audit-event.js";
import type { TagInfo, VideoDetails } from "../../services/catalog/catalog-store.js";
import { nameWords } from "../../services/catalog/catalog-service.js";
import { formatBytes, formatDuration } from "../../services/shared/units.js";
import { CARD_BUTTONS } from "../features/card/buttons.js";
import { EXPORT_BUTTONS } from "../features/exports/buttons.js";
import { escapeHtml } from "../format.js";
import { listWithin, MESSAGE_LIMIT, messageWithList, telegramLength } from "../../infra/telegram/limits.js";
import { label, type View } from "./view.js";
import { addPager, pageContaining, pageNote, pageOf } from "./paging.js";
import { postLink } from "../../services/publish/routing.js";
import { ACTIVE_UPLOAD_STATES } from "../../services/publish/upload-job.js";
import type { Role } from "../../entities/user.js";
import { can, type Permission } from "../../services/people/permissions.js";

function folderOf(relativePath: string): string {
  const cut = relativePath.lastIndexOf("/");
  return cut < 0 ? "(library root)" : relativePath.slice(0, cut);
}

function statusLine(video: VideoDetails): string {
  switch (video.status) {
    case "indexed": return "✅ indexed";
    case "missing": return "⚠️ missing: the file was not found at the last scan";
    case "unreadable": return `❌ unreadable: ${escapeHtml(video.statusReason ?? "ffprobe could not read it")}`;
  }
}

function technical(video: VideoDetails): string {
  const parts = [
    video.durationS === null ? null : formatDuration(video.durationS),
    video.width === null || video.height === null ? null : `${video.width}×${video.height}`,
    [video.videoCodec, video.audioCodec].filter((c) => c !== null).join("/") || null,
    formatBytes(video.sizeBytes),
  ];
  return parts.filter((p) => p !== null).map((p) => escapeHtml(p)).join(" · ");
}

/** "42 % · 3.1× realtime · ETA 1:20": how far a running conversion is. */
export function progressText(job: { progress: number | null; speed: number | null; etaS: number | null }): string {
  const parts = [`${Math.floor((job.progress ?? 0) * 100)} %`];
  if (job.speed !== null) parts.push(`${job.speed.toFixed(1)}× realtime`);
  if (job.etaS !== null) parts.push(`ETA ${formatDuration(job.etaS)}`);
  return parts.join(" · ");
}

/** The conversion line: progress while converting, the reason when it failed, the MP4 when there is one. */
export function conversionLine(video: VideoDetails): string | null {
  const job = video.conversion?.job ?? null;
  const mp4 = video.converted === null ? null : `🎞 MP4: ${escapeHtml(video.converted.fileName)}`;
  if (job?.state === "running") return `🔄 converting ${progressText(job)}`;
  if (job?.state === "queued") return `⏳ waiting to convert${job.reason === null ? "" : ` (${escapeHtml(job.reason)})`}`;
  if (job?.state === "failed") return `❌ conversion failed: ${escapeHtml(job.reason ?? "unknown reason")}`;
  if (mp4 !== null) return mp4;
  if (video.conversion?.needed === true && video.status === "indexed") return "⚠️ needs converting to MP4 before Telegram can play it";
  return null;
}

/** The publishing line: where it is posted, or how its upload is doing. */
export function publishingLine(video: VideoDetails): string | null {
  const { upload, posts } = video.publishing;
  const linked = posts.map((p) => p.messageId === null ? escapeHtml(p.title) : `<a href="${escapeHtml(postLink({ chatId: p.chatId, username: p.username }, p.messageId))}">${escapeHtml(p.title)}</a>`);
  const posted = linked.length > 0 ? `📤 Posted in ${linked.join(", ")}` : null;
  switch (upload?.state) {
    case "queued": return upload.notBefore > Date.now() ? `⏳ upload waiting to retry: ${escapeHtml(upload.reason ?? "")}` : "📤 queued for its channel (/queue)";
    case "converting": return "📤 queued: converting to MP4 first";
    case "uploading": return "📤 uploading now…";
    case "uncertain": return "⚠️ upload interrupted: it may have been sent — check the channel, then decide in /queue";
    case "failed": return [posted, `❌ upload failed: ${escapeHtml(upload.reason ?? "unknown reason")}`].filter((l) => l !== null).join("\n");
    default: return posted;
  }
}

/** Said on the card of a recording with sound only, in place of conversion and posting. */
export const AUDIO_ONLY_LINE = "🎧 Audio only — not converted, exported or posted to channels (channels get videos)";

const audioOnly = (video: VideoDetails): boolean => video.mediaKind === "audio";

/**
 * The card's text: what the video is, where it lives, its state, category and tags. Its tags are cut
 * with "… and N more" so that the card, and `reserve` characters shown after it, fit in one message.
 */
export function cardText(video: VideoDetails, reserve = 0): string {
  const lines = [
    `${audioOnly(video) ? "🎧" : "🎬"} <b>${escapeHtml(video.fileName)}</b>`,
    `📁 ${escapeHtml(folderOf(video.relativePath))}`,
    technical(video),
    `Status: ${statusLine(video)}`,
    ...(audioOnly(video) ? [AUDIO_ONLY_LINE, publishingLine(video)] : [conversionLine(video), publishingLine(video)]).filter((l) => l !== null),
    `Category: ${video.category === null ? "<i>none</i>" : `${escapeHtml(video.category.name)} (${escapeHtml(video.category.audience)})`}`,
  ].join("\n");
  const budget = MESSAGE_LIMIT - reserve - telegramLength(lines) - "\nTags: ".length;
  const tags = listWithin(video.tags.map((t) => escapeHtml(t.name)), budget, { separator: ", ", more: (n) => `… and ${n} more` });
  return `${lines}\nTags: ${tags === "" ? "<i>none</i>" : tags}`;
}

/** The most ✕ buttons a tags panel shows (Telegram allows 100 buttons on a message, suggestions need some). */
export const REMOVABLE_TAG_BUTTONS = 60;

/** Who is looking at a card: the buttons are those this person may use. */
export interface Viewer {
  readonly id: number;
  readonly role: Role;
}

/** The card with the buttons its viewer may use. */
export function videoCard(video: VideoDetails, viewer: Viewer): View {
  const may = (p: Permission): boolean => can(viewer.role, p);
  const keyboard = new InlineKeyboard();
  if (may("tag")) keyboard.text("🏷 Tags", CARD_BUTTONS.tags.pack({ videoId: video.id }));
  if (may("categorise")) keyboard.text("📂 Category", CARD_BUTTONS.category.pack({ videoId: video.id }));
  keyboard.row();
  if (may("history")) keyboard.text("🕘 History", CARD_BUTTONS.history.pack({ videoId: video.id }));
  if (may("export") && video.status === "indexed" && !audioOnly(video)) keyboard.text("📡 HLS export", EXPORT_BUTTONS.video.pack({ videoId: video.id }));
  const job = video.conversion?.job ?? null;
  if (!may("convert") || audioOnly(video)) {
    // nothing to convert or cancel
  } else if (job !== null && (job.state === "queued" || job.state === "running")) {
    keyboard.row().text("✖ Cancel conversion", CARD_BUTTONS.cancelConversion.pack({ videoId: video.id, jobId: job.id }));
  } else if (video.conversion?.needed === true && video.status === "indexed" && video.converted === null) {
    keyboard.row().text(job?.state === "failed" ? "🔄 Try converting again" : "🔄 Convert to MP4", CARD_BUTTONS.convert.pack({ videoId: video.id }));
  }
  if (video.converted !== null) keyboard.row().text("🎞 Open the MP4", CARD_BUTTONS.open.pack({ videoId: video.converted.id }));
  const { upload, posts, route } = video.publishing;
  const active = upload !== null && ACTIVE_UPLOAD_STATES.includes(upload.state);
  const waiting = upload !== null && (upload.state === "queued" || upload.state === "converting");
  if (waiting) {
    // Editors may take back what they queued themselves; admins anything.
    if (may("publish") || (may("queue") && upload.queuedBy === viewer.id)) keyboard.row().text("✖ Cancel the upload", CARD_BUTTONS.cancelUpload.pack({ videoId: video.id, uploadId: upload.id }));
  } else if (!active && route !== null && video.status === "indexed" && !audioOnly(video)) {
    const there = posts.some((p) => p.channelId === route.id);
    if (may(there ? "publish" : "queue")) {
      keyboard.row().text(label(there ? `📤 Send again to ${route.title}` : `📤 Send to ${route.title}`), (there ? CARD_BUTTONS.sendAgain : CARD_BUTTONS.send).pack({ videoId: video.id }));
    }
  }
  return { text: cardText(video), keyboard };
}

/** The tags panel: current tags to remove, suggestions to add, and how to type new ones. */
export function tagsPanel(video: VideoDetails, suggestions: { tags: readonly TagInfo[]; words: readonly string[] }, reserve = 0): View {
  const keyboard = new InlineKeyboard();
  video.tags.slice(0, REMOVABLE_TAG_BUTTONS).forEach((t, i) => {
    keyboard.text(label(`✕ ${t.name}`), CARD_BUTTONS.removeTag.pack({ videoId: video.id, tagId: t.id }));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row();
  const words = nameWords(video.fileName);
  const offers = [
    ...suggestions.tags.map((t) => ({ text: `+ ${t.name}`, data: CARD_BUTTONS.addTag.pack({ videoId: video.id, tagId: t.id }) })),
    ...suggestions.words.map((w) => ({ text: `+ ${w}`, data: CARD_BUTTONS.addWord.pack({ videoId: video.id, word: words.indexOf(w) }) })),
  ];
  offers.forEach((o, i) => {
    keyboard.text(label(o.text), o.data);
    if (i % 3 === 2) keyboard.row();
  });
  keyboard.row().text("✔️ Done", CARD_BUTTONS.tagsDone.pack({ videoId: video.id }));
  const hidden = video.tags.length - REMOVABLE_TAG_BUTTONS;
  const help = ["",
    hidden > 0 ? `Tap a tag to remove it (the first ${REMOVABLE_TAG_BUTTONS} have buttons; the other ${hidden} get one as these are removed), or a suggestion to add it.` : "Tap a tag to remove it, or a suggestion to add it.",
    "To add tags, send them separated by commas (for example: <i>revision, exam prep</i>). Send the start of a tag, such as <i>elec</i>, and I will suggest the tags that begin with it."].join("\n");
  const text = cardText(video, reserve + telegramLength(help)) + help;
  return { text, keyboard };
}

/** The category panel: one choice among all categories, or none. */
export function categoryPanel(video: VideoDetails, categories: readonly { id: number; name: string; audience: string }[], page?: number): View {
  // A page of categories at a time (`v:g:<video>:<page>`), opening on the page of the video's own.
  const shown = pageOf(categories, page ?? pageContaining(categories.findIndex((c) => c.id === video.category?.id)));
  const keyboard = new InlineKeyboard();
  shown.items.forEach((c, i) => {
    const mark = video.category?.id === c.id ? "✓ " : "";
    keyboard.text(label(`${mark}${c.name} (${c.audience})`), CARD_BUTTONS.setCategory.pack({ videoId: video.id, categoryId: c.id }));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row();
  addPager(keyboard, shown, (p) => CARD_BUTTONS.category.pack({ videoId: video.id, page: p }));
  keyboard.text(video.category === null ? "✓ No category" : "No category", CARD_BUTTONS.setCategory.pack({ videoId: video.id, categoryId: 0 }));
  keyboard.row().text("← Back", CARD_BUTTONS.back.pack({ videoId: video.id }));
  const hint = categories.length === 0 ? "There are no categories yet: /newcategory creates one." : `Choose the video's category (one only)${pageNote(shown)}.`;
  return { text: `${cardText(video, hint.length + 2)}\n\n${hint}`, keyboard };
}

/** The last changes to a video, newest first. */
export function historyPanel(video: VideoDetails, events: readonly AuditEvent[], who: (actorKind: string, actorId: string) => string): View {
  const lines = events.map((e) => {
    const when = new Date(e.at).toISOString().slice(0, 16).replace("T", " ");
    const change = e.before === null && e.after === null ? "" : `: ${escapeHtml(short(e.before))} → ${escapeHtml(short(e.after))}`;
    return `• ${when} UTC, ${escapeHtml(who(e.actorKind, e.actorId))}, ${escapeHtml(e.action)}${change}`;
  });
  const text = messageWithList(`🕘 <b>History of ${escapeHtml(video.fileName)}</b>`, lines.length === 0 ? ["No changes recorded yet."] : lines);
  return { text, keyboard: new InlineKeyboard().text("← Back", CARD_BUTTONS.back.pack({ videoId: video.id })) };
}

function short(json: string | null): string {
  if (json === null) return "—";
  const text = json.length > 120 ? `${json.slice(0, 119)}…` : json;
  return text;
}
