import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import { escapeHtml, html } from "../../format.js";
import { DEFAULT_AUDIENCES, normaliseAudience } from "../../../services/catalog/categories.js";
import { channelRef } from "../../../services/publish/channels.js";
import { actorOf, EXPIRED, send, showInPlace } from "../../views/respond.js";
import { CHANNEL_BUTTONS } from "./buttons.js";
import { afterAdding, backToChannels, categoryChannelsView, channelView, listView, mappingView, type ChannelViewServices } from "./views.js";

const AUDIENCE_STATE = z.object({ ref: z.number().int(), audiences: z.array(z.string()) });

const ADD_CHANNEL_QUESTION = [
  "Add the bot to the channel as an administrator allowed to post messages. Then either:",
  "• forward any post from the channel here, or",
  "• send its @username (or t.me link), or its id such as -1001234567890.",
  "/cancel stops.",
].join("\n");

/**
 * The two questions of adding a channel: which channel (typed or forwarded), then its audience (a
 * button). Text typed while either is pending names a channel, so a person can correct the first answer.
 */
function addChannelPrompts({ channels, categories }: ChannelViewServices) {
  const audience = definePrompt("channel-audience", AUDIENCE_STATE, (ctx, _state, text) => onTyped(ctx, text));
  const channel = definePrompt("add-channel", z.object({}), (ctx, _state, text) => onTyped(ctx, text));

  /** A channel named (typed or forwarded) while adding one: check it, then ask for its audience. */
  async function onNamed(ctx: BotContext, ref: number | string): Promise<void> {
    const seen = await channels.inspect(ref);
    if (!seen.ok) {
      await ctx.reply(`${escapeHtml(seen.problem)}\n\nNothing was saved. Send the channel again when it is fixed, or /cancel.`);
      return;
    }
    const audiences = [...new Set([...DEFAULT_AUDIENCES, ...(await categories.list()).map((c) => c.audience)])].sort();
    await audience.ask(ctx, { ref: seen.chatId, audiences });
    const keyboard = new InlineKeyboard();
    audiences.forEach((a, i) => keyboard.text(a, CHANNEL_BUTTONS.audience.pack({ index: i })));
    await ctx.reply(html`✅ I can post in ${seen.title}. Who does it reach? Choose its audience: only categories of that audience can post there.`, { reply_markup: keyboard });
  }

  async function onTyped(ctx: BotContext, text: string): Promise<void> {
    const ref = channelRef(text);
    if (ref === null) {
      await ctx.reply("That is not a channel name. Send @name, a t.me link, an id such as -1001234567890, or forward a post from the channel. /cancel stops.");
      return;
    }
    await onNamed(ctx, ref);
  }

  return { channel, audience, onNamed };
}

type AddChannelPrompts = ReturnType<typeof addChannelPrompts>;

/** The list, one channel, its removal, and adding one (the question, then the audience button). */
function answerChannels(composer: Composer<BotContext>, services: ChannelViewServices, prompts: AddChannelPrompts): void {
  const { channels } = services;
  onButton(composer, CHANNEL_BUTTONS.list, async (ctx, { page = 0 }) => {
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, await listView(services, page));
  });
  onButton(composer, CHANNEL_BUTTONS.add, async (ctx) => {
    await ctx.answerCallbackQuery();
    await prompts.channel.ask(ctx, {});
    await ctx.reply(ADD_CHANNEL_QUESTION);
  });
  onButton(composer, CHANNEL_BUTTONS.audience, async (ctx, { index }) => {
    const pending = await ctx.prompt.pending();
    const state = pending?.kind === prompts.audience.kind ? AUDIENCE_STATE.safeParse(pending) : null;
    const chosen = state?.success === true ? state.data.audiences[index] : undefined;
    if (state?.success !== true || chosen === undefined || normaliseAudience(chosen) === null) {
      await ctx.answerCallbackQuery({ text: EXPIRED });
      return;
    }
    await ctx.answerCallbackQuery();
    const result = await channels.add(state.data.ref, chosen, actorOf(ctx));
    if (!result.ok) return showInPlace(ctx, { text: `${escapeHtml(result.problem)}\n\nNothing was saved.`, keyboard: backToChannels() });
    await ctx.prompt.clear();
    const text = result.updated
      ? html`${result.channel.title} was already added (audience ${result.channel.audience}); its name is refreshed.`
      : html`📣 Added ${result.channel.title} for ${result.channel.audience}. Now choose which categories post there.`;
    return showInPlace(ctx, { text, keyboard: afterAdding() });
  });
  onButton(composer, CHANNEL_BUTTONS.open, async (ctx, { channelId }) => {
    const channel = await channels.byId(channelId);
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, channel === null ? { text: "That channel was removed.", keyboard: backToChannels() } : channelView(channel));
  });
  onButton(composer, CHANNEL_BUTTONS.remove, async (ctx, { channelId }) => {
    const result = await channels.remove(channelId, actorOf(ctx));
    await ctx.answerCallbackQuery({ text: result === "removed" ? "Removed" : result === "in-use" ? "Map its categories elsewhere first" : EXPIRED });
    if (result !== "in-use") return showInPlace(ctx, await listView(services));
    const keyboard = new InlineKeyboard().text("🔗 Which category posts where", CHANNEL_BUTTONS.mapping.pack({ page: 0 }));
    return showInPlace(ctx, { text: "Categories still post to this channel. Give them another channel (or none) first.", keyboard });
  });
}

/** Which category posts where: the map, a category's choice of channels, and the choice made. */
function answerMapping(composer: Composer<BotContext>, services: ChannelViewServices): void {
  const { channels, categories } = services;
  onButton(composer, CHANNEL_BUTTONS.mapping, async (ctx, { page = 0 }) => {
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, await mappingView(services, { page }));
  });
  onButton(composer, CHANNEL_BUTTONS.category, async (ctx, { categoryId, page = 0 }) => {
    const category = await categories.byId(categoryId);
    await ctx.answerCallbackQuery(category === null ? { text: EXPIRED } : {});
    await showInPlace(ctx, category === null ? await mappingView(services, { page: 0 }) : await categoryChannelsView(services, category, page));
  });
  onButton(composer, CHANNEL_BUTTONS.assign, async (ctx, { categoryId, channelId }) => {
    const category = await categories.byId(categoryId);
    const result = category === null ? "missing" : await channels.map(category, channelId === 0 ? null : channelId, actorOf(ctx));
    await ctx.answerCallbackQuery({ text: result === "ok" ? "Saved" : result === "mismatch" ? "That channel reaches another audience" : EXPIRED, show_alert: result === "mismatch" });
    await showInPlace(ctx, await mappingView(services, { focus: categoryId }));
  });
}

/** /channels: the channels vidlib posts to, adding one, and which category posts where. */
export const channelsFeature = defineFeature({
  name: "channels",
  uses: ["channels", "categories"],
  commands: { channels: "channels" },
  buttons: Object.values(CHANNEL_BUTTONS),
  prompts: ["add-channel", "channel-audience"],
  create(services) {
    const composer = new Composer<BotContext>();
    const prompts = addChannelPrompts(services);

    composer.command("channels", async (ctx) => {
      await send(ctx, await listView(services));
    });
    // Before the questions' answers: a forwarded post names its channel by where it came from, not by its text.
    composer.chatType("private").on("message:forward_origin", async (ctx, next) => {
      const origin = ctx.message.forward_origin;
      if (origin.type !== "channel") return next();
      if ((await ctx.prompt.pending())?.kind !== prompts.channel.kind) {
        await ctx.reply("To add this channel, send /channels and tap Add a channel first.");
        return;
      }
      await prompts.onNamed(ctx, origin.chat.id);
    });
    answerChannels(composer, services, prompts);
    answerMapping(composer, services);
    composer.use(prompts.channel.middleware, prompts.audience.middleware);
    return composer;
  },
});
