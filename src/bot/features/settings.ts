import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { X264_PRESETS } from "../../services/conversion/conversion-args.js";
import { EXPIRED, pressed, send, showInPlace, who, actorOf } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import { postTextHtml } from "../views/post-text.js";
import { captionFor, DEFAULT_CAPTION_TEMPLATE, PLACEHOLDERS } from "../../services/publish/caption.js";

/** A caption template typed after ✏️ Caption template: saved when usable, with a preview. */
export async function onTypedCaptionTemplate(ctx: BotContext, text: string): Promise<void> {
  const result = await ctx.deps.services.settings.setCaptionTemplate(text, actorOf(ctx));
  if (!result.ok) {
    await ctx.reply(`That template cannot be used: ${escapeHtml(result.problem)}. Send another, or /cancel.`, { parse_mode: "HTML" });
    return;
  }
  await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
  const sample = captionFor({ fileName: "JEE-Adv_Phy-ElectroStatics_L04.mp4", category: "JEE Advanced", tags: ["physics", "electrostatics", "sci-fi"], durationS: 3723 },
    ctx.deps.services.settings.current.captionTemplate);
  await ctx.reply(`Saved. New posts get captions like this:\n\n${postTextHtml(sample)}\n\nPosts already made keep theirs; /queue offers to update them.`, { parse_mode: "HTML" });
}

export const SETTINGS = "st";
const TRASH_STEPS = [1, 3, 7, 14, 30, 60, 90, 180, 365];
const CAP_STEPS = [0, 5, 10, 20, 50, 100, 200, 500, 1000, 10_000];

export const settingsFeature = new Composer<BotContext>();

/** Drafts may show any audience's videos, so only a staff channel (or an owner's own chat) may be the review chat. */
export const REVIEW_AUDIENCE = "staff";

async function reviewChatName(ctx: BotContext): Promise<string> {
  const id = ctx.deps.services.settings.current.reviewChatId;
  if (id === null) return "the first owner's private chat with the bot";
  const channel = (await ctx.deps.services.channels.list()).find((c) => c.chatId === id);
  return channel === undefined ? `chat ${id} (no longer a registered channel)` : channel.title;
}

async function settingsView(ctx: BotContext): Promise<View> {
  const s = ctx.deps.services.settings.current;
  const { config } = ctx.deps;
  const presetAt = X264_PRESETS.indexOf(s.convertPreset);
  const keyboard = new InlineKeyboard()
    .text(s.autoConvertSince === null ? "Auto-convert: off → turn on" : "Auto-convert: on → turn off", encodeCallback(SETTINGS, "a")).row()
    .text("− at a time", encodeCallback(SETTINGS, "c", s.convertConcurrency - 1)).text("+ at a time", encodeCallback(SETTINGS, "c", s.convertConcurrency + 1)).row()
    .text("‹ faster preset", encodeCallback(SETTINGS, "p", Math.max(0, presetAt - 1))).text("smaller files ›", encodeCallback(SETTINGS, "p", Math.min(X264_PRESETS.length - 1, presetAt + 1))).row()
    .text("− trash days", encodeCallback(SETTINGS, "t", TRASH_STEPS.filter((d) => d < s.trashDays).at(-1) ?? 1))
    .text("+ trash days", encodeCallback(SETTINGS, "t", TRASH_STEPS.find((d) => d > s.trashDays) ?? 365)).row()
    .text("− sync deletion cap", encodeCallback(SETTINGS, "y", CAP_STEPS.filter((n) => n < s.syncMaxDeletions).at(-1) ?? 0))
    .text("+ sync deletion cap", encodeCallback(SETTINGS, "y", CAP_STEPS.find((n) => n > s.syncMaxDeletions) ?? 10_000)).row()
    .text(s.publishAuto ? "Auto-publish: on → turn off" : "Auto-publish: off → turn on", encodeCallback(SETTINGS, "u")).row()
    .text("🔍 Review chat", encodeCallback(SETTINGS, "rv")).row()
    .text("✏️ Caption template", encodeCallback(SETTINGS, "ct"));
  if (s.captionTemplate !== DEFAULT_CAPTION_TEMPLATE) keyboard.text("↺ Default template", encodeCallback(SETTINGS, "cd"));
  const limitMb = Math.floor(config.uploadLimitBytes / 1048576);
  const text = [
    "⚙️ <b>Settings</b>",
    `• New non-MP4 recordings are converted automatically: <b>${s.autoConvertSince === null ? "no" : "yes"}</b>`,
    `• Conversions at a time: <b>${s.convertConcurrency}</b> (each uses the processor fully; 1 keeps the machine responsive)`,
    `• Encoder preset: <b>${s.convertPreset}</b> (slower presets make smaller files and take longer; only re-encoding uses it)`,
    `• Deleted files stay in the trash for <b>${s.trashDays} days</b>, then are removed for good`,
    `• A sync may move at most <b>${s.syncMaxDeletions}</b> files that left its source to the trash (${s.syncMaxDeletions === 0 ? "syncs never remove anything" : "more only copies, with a warning"})`,
    `• A video is queued for its channel as soon as it gets a category: <b>${s.publishAuto ? "yes" : "no"}</b>`,
    `• Caption template: <code>${escapeHtml(s.captionTemplate)}</code>`,
    `• Drafts of categories with “review first” go to: <b>${escapeHtml(await reviewChatName(ctx))}</b>`,
    "",
    `Upload limit: ${limitMb} MB (${config.telegram.localMode ? "Local Bot API server" : "cloud Bot API"}); archive folder: ${escapeHtml(config.folders.archive)}. These two are set in the configuration (UPLOAD_LIMIT_MB, ARCHIVE_DIR).`,
  ].join("\n");
  return { text, keyboard };
}

settingsFeature.command("settings", async (ctx) => {
  await send(ctx, await settingsView(ctx));
});

settingsFeature.callbackQuery(/^st:/, async (ctx) => {
  const button = pressed(ctx, SETTINGS);
  const actor = actorOf(ctx);
  const { settings } = ctx.deps.services;
  const value = button?.ids[0] ?? 0;
  switch (button?.data.verb) {
    case "a":
      await settings.setAutoConvert(settings.current.autoConvertSince === null, actor);
      break;
    case "c":
      await settings.setConcurrency(value, actor);
      break;
    case "p": {
      const preset = X264_PRESETS[value];
      if (preset !== undefined) await settings.setPreset(preset, actor);
      break;
    }
    case "t":
      await settings.setTrashDays(value, actor);
      break;
    case "y":
      await settings.setSyncMaxDeletions(value, actor);
      break;
    case "u":
      await settings.setPublishAuto(!settings.current.publishAuto, actor);
      break;
    case "cd":
      await settings.setCaptionTemplate(DEFAULT_CAPTION_TEMPLATE, actor);
      break;
    case "rv": {
      await ctx.answerCallbackQuery();
      const staff = (await ctx.deps.services.channels.list()).filter((c) => c.audience === REVIEW_AUDIENCE);
      const keyboard = new InlineKeyboard().text("The first owner's private chat", encodeCallback(SETTINGS, "rc", 0)).row();
      for (const c of staff) keyboard.text(label(`📣 ${c.title}`), encodeCallback(SETTINGS, "rc", c.id)).row();
      keyboard.text("← Settings", encodeCallback(SETTINGS, "x"));
      await showInPlace(ctx, { text: `Where should drafts for review go? Everyone in that chat sees drafts of every audience, so only channels for <b>${REVIEW_AUDIENCE}</b> are offered.` +
        (staff.length === 0 ? ` There is none yet: add one in /channels with the audience ${REVIEW_AUDIENCE}.` : ""), keyboard });
      return;
    }
    case "rc": {
      const channel = value === 0 ? null : (await ctx.deps.services.channels.list()).find((c) => c.id === value && c.audience === REVIEW_AUDIENCE);
      if (channel === undefined) {
        await ctx.answerCallbackQuery({ text: EXPIRED });
        return;
      }
      await settings.setReviewChat(channel?.chatId ?? null, actor);
      break;
    }
    case "x":
      break;
    case "ct":
      await ctx.answerCallbackQuery();
      await ctx.deps.services.chat.setPrompt(who(ctx).chatId, { kind: "caption-template" });
      await ctx.reply([
        "Send the new caption template (or /cancel). These placeholders are filled in for each video:",
        ...Object.entries(PLACEHOLDERS).map(([name, what]) => `• <code>{${name}}</code>: ${escapeHtml(what)}`),
        "", `The default is <code>${escapeHtml(DEFAULT_CAPTION_TEMPLATE)}</code>. Captions never exceed 1024 characters: tags are left out from the end when they would.`,
      ].join("\n"), { parse_mode: "HTML" });
      return;
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
      return;
  }
  await ctx.answerCallbackQuery({ text: "Saved" });
  await showInPlace(ctx, await settingsView(ctx));
});
