import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import { X264_PRESETS } from "../../../services/conversion/conversion-args.js";
import { DEFAULT_CAPTION_TEMPLATE, PLACEHOLDERS } from "../../../services/publish/caption.js";
import type { ConfiguredSettings, RuntimeSettings } from "../../../services/settings/settings.js";
import { label, type View } from "../../views/view.js";
import { SETTINGS_BUTTONS as B } from "./buttons.js";

/** Drafts may show any audience's videos, so only a staff channel (or an owner's own chat) may be the review chat. */
export const REVIEW_AUDIENCE = "staff";
const TRASH_STEPS = [1, 3, 7, 14, 30, 60, 90, 180, 365];
const CAP_STEPS = [0, 5, 10, 20, 50, 100, 200, 500, 1000, 10_000];

function settingsKeyboard(s: RuntimeSettings): InlineKeyboard {
  const presetAt = X264_PRESETS.indexOf(s.convertPreset);
  const keyboard = new InlineKeyboard()
    .text(s.autoConvertSince === null ? "Auto-convert: off → turn on" : "Auto-convert: on → turn off", B.autoConvert.pack({})).row()
    .text("− at a time", B.concurrency.pack({ conversions: Math.max(0, s.convertConcurrency - 1) })).text("+ at a time", B.concurrency.pack({ conversions: s.convertConcurrency + 1 })).row()
    .text("‹ faster preset", B.preset.pack({ preset: Math.max(0, presetAt - 1) })).text("smaller files ›", B.preset.pack({ preset: Math.min(X264_PRESETS.length - 1, presetAt + 1) })).row()
    .text("− trash days", B.trashDays.pack({ days: TRASH_STEPS.filter((d) => d < s.trashDays).at(-1) ?? 1 }))
    .text("+ trash days", B.trashDays.pack({ days: TRASH_STEPS.find((d) => d > s.trashDays) ?? 365 })).row()
    .text("− sync deletion cap", B.syncDeletionCap.pack({ files: CAP_STEPS.filter((n) => n < s.syncMaxDeletions).at(-1) ?? 0 }))
    .text("+ sync deletion cap", B.syncDeletionCap.pack({ files: CAP_STEPS.find((n) => n > s.syncMaxDeletions) ?? 10_000 })).row()
    .text(s.publishAuto ? "Auto-publish: on → turn off" : "Auto-publish: off → turn on", B.publishAuto.pack({})).row()
    .text("🔍 Review chat", B.reviewChats.pack({})).row()
    .text("✏️ Caption template", B.captionTemplate.pack({}));
  if (s.captionTemplate !== DEFAULT_CAPTION_TEMPLATE) keyboard.text("↺ Default template", B.defaultCaptionTemplate.pack({}));
  return keyboard;
}

/** Every setting with its buttons; `reviewChat` names where drafts go. */
export function settingsView(s: RuntimeSettings, configured: ConfiguredSettings, reviewChat: string): View {
  const limitMb = Math.floor(configured.uploadLimitBytes / 1048576);
  const text = [
    "⚙️ <b>Settings</b>",
    `• New non-MP4 recordings are converted automatically: <b>${s.autoConvertSince === null ? "no" : "yes"}</b>`,
    `• Conversions at a time: <b>${s.convertConcurrency}</b> (each uses the processor fully; 1 keeps the machine responsive)`,
    `• Encoder preset: <b>${s.convertPreset}</b> (slower presets make smaller files and take longer; only re-encoding uses it)`,
    `• Deleted files stay in the trash for <b>${s.trashDays} days</b>, then are removed for good`,
    `• A sync may move at most <b>${s.syncMaxDeletions}</b> files that left its source to the trash (${s.syncMaxDeletions === 0 ? "syncs never remove anything" : "more only copies, with a warning"})`,
    `• A video is queued for its channel as soon as it gets a category: <b>${s.publishAuto ? "yes" : "no"}</b>`,
    `• Caption template: <code>${escapeHtml(s.captionTemplate)}</code>`,
    `• Drafts of categories with “review first” go to: <b>${escapeHtml(reviewChat)}</b>`,
    "",
    `Upload limit: ${limitMb} MB (${configured.localBotApi ? "Local Bot API server" : "cloud Bot API"}); archive folder: ${escapeHtml(configured.archiveDir)}. These two are set in the configuration (UPLOAD_LIMIT_MB, ARCHIVE_DIR).`,
  ].join("\n");
  return { text, keyboard: settingsKeyboard(s) };
}

/** Where drafts for review may go: the first owner's chat, or a channel for staff. */
export function reviewChatsView(staff: readonly { id: number; title: string }[]): View {
  const keyboard = new InlineKeyboard().text("The first owner's private chat", B.reviewChat.pack({ channelId: 0 })).row();
  for (const c of staff) keyboard.text(label(`📣 ${c.title}`), B.reviewChat.pack({ channelId: c.id })).row();
  keyboard.text("← Settings", B.back.pack({}));
  return {
    text: `Where should drafts for review go? Everyone in that chat sees drafts of every audience, so only channels for <b>${REVIEW_AUDIENCE}</b> are offered.` +
      (staff.length === 0 ? ` There is none yet: add one in /channels with the audience ${REVIEW_AUDIENCE}.` : ""),
    keyboard,
  };
}

/** The question behind ✏️ Caption template: its placeholders and the default. */
export const CAPTION_TEMPLATE_QUESTION = [
  "Send the new caption template (or /cancel). These placeholders are filled in for each video:",
  ...Object.entries(PLACEHOLDERS).map(([name, what]) => `• <code>{${name}}</code>: ${escapeHtml(what)}`),
  "", `The default is <code>${escapeHtml(DEFAULT_CAPTION_TEMPLATE)}</code>. Captions never exceed 1024 characters: tags are left out from the end when they would.`,
].join("\n");
