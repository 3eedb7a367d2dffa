import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { userActor } from "../../services/actor.js";
import { X264_PRESETS } from "../../services/conversion/conversion-args.js";
import { EXPIRED, pressed, send, showInPlace, who } from "../views/respond.js";
import type { View } from "../views/view.js";

export const SETTINGS = "st";
const TRASH_STEPS = [1, 3, 7, 14, 30, 60, 90, 180, 365];

export const settingsFeature = new Composer<BotContext>();

function settingsView(ctx: BotContext): View {
  const s = ctx.deps.services.settings.current;
  const { config } = ctx.deps;
  const presetAt = X264_PRESETS.indexOf(s.convertPreset);
  const keyboard = new InlineKeyboard()
    .text(s.autoConvertSince === null ? "Auto-convert: off → turn on" : "Auto-convert: on → turn off", encodeCallback(SETTINGS, "a")).row()
    .text("− at a time", encodeCallback(SETTINGS, "c", s.convertConcurrency - 1)).text("+ at a time", encodeCallback(SETTINGS, "c", s.convertConcurrency + 1)).row()
    .text("‹ faster preset", encodeCallback(SETTINGS, "p", Math.max(0, presetAt - 1))).text("smaller files ›", encodeCallback(SETTINGS, "p", Math.min(X264_PRESETS.length - 1, presetAt + 1))).row()
    .text("− trash days", encodeCallback(SETTINGS, "t", TRASH_STEPS.filter((d) => d < s.trashDays).at(-1) ?? 1))
    .text("+ trash days", encodeCallback(SETTINGS, "t", TRASH_STEPS.find((d) => d > s.trashDays) ?? 365));
  const limitMb = Math.floor(config.uploadLimitBytes / 1048576);
  const text = [
    "⚙️ <b>Settings</b>",
    `• New non-MP4 recordings are converted automatically: <b>${s.autoConvertSince === null ? "no" : "yes"}</b>`,
    `• Conversions at a time: <b>${s.convertConcurrency}</b> (each uses the processor fully; 1 keeps the machine responsive)`,
    `• Encoder preset: <b>${s.convertPreset}</b> (slower presets make smaller files and take longer; only re-encoding uses it)`,
    `• Deleted files stay in the trash for <b>${s.trashDays} days</b>, then are removed for good`,
    "",
    `Upload limit: ${limitMb} MB (${config.telegram.localMode ? "Local Bot API server" : "cloud Bot API"}); archive folder: ${escapeHtml(config.folders.archive)}. These two are set in the configuration (UPLOAD_LIMIT_MB, ARCHIVE_DIR).`,
  ].join("\n");
  return { text, keyboard };
}

settingsFeature.command("settings", async (ctx) => {
  await send(ctx, settingsView(ctx));
});

settingsFeature.callbackQuery(/^st:/, async (ctx) => {
  const button = pressed(ctx, SETTINGS);
  const actor = userActor(who(ctx).userId);
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
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
      return;
  }
  await ctx.answerCallbackQuery({ text: "Saved" });
  await showInPlace(ctx, settingsView(ctx));
});
