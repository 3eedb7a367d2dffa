import { Composer } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton, type ButtonContext } from "../../callback-data/on-button.js";
import type { Button, ButtonValues, Fields } from "../../callback-data/button.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import { escapeHtml } from "../../format.js";
import { X264_PRESETS } from "../../../services/conversion/conversion-args.js";
import { captionFor, DEFAULT_CAPTION_TEMPLATE } from "../../../services/publish/caption.js";
import type { ChannelService } from "../../../services/publish/channels.js";
import type { SettingsService } from "../../../services/settings/settings.js";
import type { Actor } from "../../../services/people/actor.js";
import { actorOf, EXPIRED, send, showInPlace } from "../../views/respond.js";
import { postTextHtml } from "../../views/post-text.js";
import { SETTINGS_BUTTONS } from "./buttons.js";
import { CAPTION_TEMPLATE_QUESTION, REVIEW_AUDIENCE, reviewChatsView, settingsView } from "./views.js";

/** A caption template typed after ✏️ Caption template: saved when usable, with a preview. */
function captionTemplatePrompt(settings: SettingsService) {
  return definePrompt("caption-template", z.object({}), async (ctx, _state, text) => {
    const result = await settings.setCaptionTemplate(text, actorOf(ctx));
    if (!result.ok) {
      await ctx.reply(`That template cannot be used: ${escapeHtml(result.problem)}. Send another, or /cancel.`);
      return;
    }
    await ctx.prompt.clear();
    const sample = captionFor({ fileName: "JEE-Adv_Phy-ElectroStatics_L04.mp4", category: "JEE Advanced", tags: ["physics", "electrostatics", "sci-fi"], durationS: 3723 },
      settings.current.captionTemplate);
    await ctx.reply(`Saved. New posts get captions like this:\n\n${postTextHtml(sample)}\n\nPosts already made keep theirs; /queue offers to update them.`);
  });
}

async function reviewChatName(settings: SettingsService, channels: ChannelService): Promise<string> {
  const id = settings.current.reviewChatId;
  if (id === null) return "the first owner's private chat with the bot";
  const channel = (await channels.list()).find((c) => c.chatId === id);
  return channel === undefined ? `chat ${id} (no longer a registered channel)` : channel.title;
}

/** The buttons that change one setting to the value they carry (or toggle it); `saved` answers and shows the settings. */
function changeButtons(composer: Composer<BotContext>, settings: SettingsService, saved: (ctx: ButtonContext) => Promise<void>): void {
  const B = SETTINGS_BUTTONS;
  const on = <F extends Fields>(button: Button<F>, apply: (actor: Actor, values: ButtonValues<F>) => Promise<unknown>) =>
    onButton(composer, button, async (ctx, values) => {
      await apply(actorOf(ctx), values);
      await saved(ctx);
    });
  on(B.autoConvert, (actor) => settings.setAutoConvert(settings.current.autoConvertSince === null, actor));
  on(B.concurrency, (actor, { conversions }) => settings.setConcurrency(conversions, actor));
  on(B.preset, async (actor, { preset }) => {
    const chosen = X264_PRESETS[preset];
    if (chosen !== undefined) await settings.setPreset(chosen, actor);
  });
  on(B.trashDays, (actor, { days }) => settings.setTrashDays(days, actor));
  on(B.syncDeletionCap, (actor, { files }) => settings.setSyncMaxDeletions(files, actor));
  on(B.publishAuto, (actor) => settings.setPublishAuto(!settings.current.publishAuto, actor));
  on(B.defaultCaptionTemplate, (actor) => settings.setCaptionTemplate(DEFAULT_CAPTION_TEMPLATE, actor));
}

/** /settings: what the team changes from the bot, each a button or a typed caption template. */
export const settingsFeature = defineFeature({
  name: "settings",
  uses: ["settings", "configured", "channels"],
  commands: { settings: "settings" },
  buttons: Object.values(SETTINGS_BUTTONS),
  prompts: ["caption-template"],
  create({ settings, configured, channels }) {
    const composer = new Composer<BotContext>();
    const template = captionTemplatePrompt(settings);
    const view = async () => settingsView(settings.current, configured, await reviewChatName(settings, channels));
    const saved = async (ctx: ButtonContext) => {
      await ctx.answerCallbackQuery({ text: "Saved" });
      await showInPlace(ctx, await view());
    };

    composer.command("settings", async (ctx) => {
      await send(ctx, await view());
    });
    changeButtons(composer, settings, saved);
    // Back from the review chats: nothing was changed, so nothing is said.
    onButton(composer, SETTINGS_BUTTONS.back, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await view());
    });
    onButton(composer, SETTINGS_BUTTONS.reviewChats, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, reviewChatsView((await channels.list()).filter((c) => c.audience === REVIEW_AUDIENCE)));
    });
    onButton(composer, SETTINGS_BUTTONS.reviewChat, async (ctx, { channelId }) => {
      // 0 is the first owner's chat; a channel must still be registered, and for staff.
      const channel = channelId === 0 ? null : (await channels.list()).find((c) => c.id === channelId && c.audience === REVIEW_AUDIENCE);
      if (channel === undefined) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await settings.setReviewChat(channel?.chatId ?? null, actorOf(ctx));
      await saved(ctx);
    });
    onButton(composer, SETTINGS_BUTTONS.captionTemplate, async (ctx) => {
      await ctx.answerCallbackQuery();
      await template.ask(ctx, {});
      await ctx.reply(CAPTION_TEMPLATE_QUESTION);
    });
    composer.use(template.middleware);
    return composer;
  },
});
