import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml, html } from "../format.js";
import { DEFAULT_AUDIENCES, normaliseAudience } from "../../services/categories.js";
import { channelRef } from "../../services/publish/channels.js";
import { EXPIRED, pressed, send, showInPlace, who, actorOf } from "../views/respond.js";
import { listWithin, messageWithList } from "../../infra/telegram/limits.js";
import { label, type View } from "../views/view.js";
import { addPager, pageContaining, pageNote, pageOf } from "../views/paging.js";

export const CHANNELS = "ch";
export const channelsFeature = new Composer<BotContext>();

const back = (): InlineKeyboard => new InlineKeyboard().text("← Channels", encodeCallback(CHANNELS, "l", 0));

/** The channels, their buttons a page at a time (`ch:l:<page>`). */
async function listView(ctx: BotContext, page = 0): Promise<View> {
  const { channels, categories } = ctx.deps.services;
  const [list, all, map] = [await channels.list(), await categories.list(), await channels.mappings()];
  const shown = pageOf(list, page);
  const keyboard = new InlineKeyboard();
  for (const c of shown.items) keyboard.text(label(`📣 ${c.title} (${c.audience})`, 50), encodeCallback(CHANNELS, "o", c.id)).row();
  addPager(keyboard, shown, (p) => encodeCallback(CHANNELS, "l", p));
  keyboard.text("➕ Add a channel", encodeCallback(CHANNELS, "n", 0)).row();
  if (all.length > 0 && list.length > 0) keyboard.text("🔗 Which category posts where", encodeCallback(CHANNELS, "m", 0));
  const unmapped = all.filter((g) => !map.has(g.id)).map((g) => g.name);
  const lines = list.map((c) => html`• ${c.title}${c.username === null ? "" : ` (@${c.username})`}, ${c.audience}: ` +
    (c.categories.length === 0 ? "<i>no category yet</i>" : escapeHtml(c.categories.map((g) => g.name).join(", "))));
  const head = list.length === 0 ? "📣 <b>No channels yet.</b> Add the bot to a channel as an administrator that may post, then tap Add a channel." : `📣 <b>Channels (${list.length})</b>: audience, then the categories that post there.`;
  const tail = unmapped.length === 0 ? "" : `\nCategories without a channel (their videos cannot be sent): ${listWithin(unmapped.map(escapeHtml), 1000, { separator: ", " })}`;
  const text = messageWithList(head, lines, tail, { more: (n) => `… and ${n} more ${n === 1 ? "channel" : "channels"}` });
  return { text, keyboard };
}

/** Which category posts where, a page of categories at a time (`ch:m:<page>`), or the page showing `focus` (a category id). */
async function mappingView(ctx: BotContext, at: { page: number } | { focus: number }): Promise<View> {
  const { channels, categories } = ctx.deps.services;
  const [all, map, list] = [await categories.list(), await channels.mappings(), await channels.list()];
  const titles = new Map(list.map((c) => [c.id, c.title]));
  const shown = pageOf(all, "page" in at ? at.page : pageContaining(all.findIndex((g) => g.id === at.focus)));
  const keyboard = new InlineKeyboard();
  for (const g of shown.items) {
    const to = map.get(g.id);
    keyboard.text(label(`${g.name} → ${to === undefined ? "none" : titles.get(to) ?? "?"}`, 50), encodeCallback(CHANNELS, "g", g.id)).row();
  }
  addPager(keyboard, shown, (p) => encodeCallback(CHANNELS, "m", p));
  keyboard.text("← Channels", encodeCallback(CHANNELS, "l", 0));
  return { text: `🔗 <b>Which category posts where</b>${pageNote(shown)}. Tap a category to choose its channel; only channels of the category's audience are offered.`, keyboard };
}

channelsFeature.command("channels", async (ctx) => {
  await send(ctx, await listView(ctx));
});

async function askForChannel(ctx: BotContext): Promise<void> {
  await ctx.deps.services.chat.setPrompt(who(ctx).chatId, { kind: "add-channel" });
  await ctx.reply([
    "Add the bot to the channel as an administrator allowed to post messages. Then either:",
    "• forward any post from the channel here, or",
    "• send its @username (or t.me link), or its id such as -1001234567890.",
    "/cancel stops.",
  ].join("\n"));
}

/** A channel named (typed or forwarded) while adding one: check it, then ask for its audience. */
export async function onChannelNamed(ctx: BotContext, ref: number | string): Promise<void> {
  const { channels, categories, chat } = ctx.deps.services;
  const seen = await channels.inspect(ref);
  if (!seen.ok) {
    await ctx.reply(`${escapeHtml(seen.problem)}\n\nNothing was saved. Send the channel again when it is fixed, or /cancel.`, { parse_mode: "HTML" });
    return;
  }
  const audiences = [...new Set([...DEFAULT_AUDIENCES, ...(await categories.list()).map((c) => c.audience)])].sort();
  await chat.setPrompt(who(ctx).chatId, { kind: "channel-audience", ref: seen.chatId, audiences });
  const keyboard = new InlineKeyboard();
  audiences.forEach((a, i) => keyboard.text(a, encodeCallback(CHANNELS, "a", i)));
  await ctx.reply(html`✅ I can post in ${seen.title}. Who does it reach? Choose its audience: only categories of that audience can post there.`, { parse_mode: "HTML", reply_markup: keyboard });
}

/** Text typed while adding a channel. */
export async function onTypedChannel(ctx: BotContext, text: string): Promise<void> {
  const ref = channelRef(text);
  if (ref === null) {
    await ctx.reply("That is not a channel name. Send @name, a t.me link, an id such as -1001234567890, or forward a post from the channel. /cancel stops.");
    return;
  }
  await onChannelNamed(ctx, ref);
}

channelsFeature.chatType("private").on("message:forward_origin", async (ctx, next) => {
  const origin = ctx.message.forward_origin;
  if (origin.type !== "channel") return next();
  const prompt = await ctx.deps.services.chat.prompt(who(ctx).chatId);
  if (prompt?.kind !== "add-channel") {
    await ctx.reply("To add this channel, send /channels and tap Add a channel first.");
    return;
  }
  await onChannelNamed(ctx, origin.chat.id);
});

channelsFeature.callbackQuery(/^ch:/, async (ctx) => {
  const button = pressed(ctx, CHANNELS);
  const [id = 0, target = 0] = button?.ids ?? [];
  const { channels, categories, chat } = ctx.deps.services;
  const actor = actorOf(ctx);
  switch (button?.data.verb) {
    case "l":
      await ctx.answerCallbackQuery();
      return showInPlace(ctx, await listView(ctx, id));
    case "n":
      await ctx.answerCallbackQuery();
      return askForChannel(ctx);
    case "a": {
      const prompt = await chat.prompt(who(ctx).chatId);
      const audience = prompt?.kind === "channel-audience" ? (prompt.audiences as readonly string[])[id] : undefined;
      if (prompt?.kind !== "channel-audience" || audience === undefined || normaliseAudience(audience) === null) {
        await ctx.answerCallbackQuery({ text: EXPIRED });
        return;
      }
      await ctx.answerCallbackQuery();
      const result = await channels.add(prompt.ref as number, audience, actor);
      if (!result.ok) return showInPlace(ctx, { text: `${escapeHtml(result.problem)}\n\nNothing was saved.`, keyboard: back() });
      await chat.clearPrompt(who(ctx).chatId);
      const text = result.updated
        ? html`${result.channel.title} was already added (audience ${result.channel.audience}); its name is refreshed.`
        : html`📣 Added ${result.channel.title} for ${result.channel.audience}. Now choose which categories post there.`;
      return showInPlace(ctx, { text, keyboard: new InlineKeyboard().text("🔗 Which category posts where", encodeCallback(CHANNELS, "m", 0)).row().text("← Channels", encodeCallback(CHANNELS, "l", 0)) });
    }
    case "o": {
      const channel = await channels.byId(id);
      await ctx.answerCallbackQuery();
      if (channel === null) return showInPlace(ctx, { text: "That channel was removed.", keyboard: back() });
      return showInPlace(ctx, {
        text: html`📣 ${channel.title}${channel.username === null ? "" : ` (@${channel.username})`}\nAudience: ${channel.audience}\nCategories: ${channel.categories.map((g) => g.name).join(", ") || "none"}`,
        keyboard: new InlineKeyboard().text("🗑 Remove", encodeCallback(CHANNELS, "r", channel.id)).row().text("← Channels", encodeCallback(CHANNELS, "l", 0)),
      });
    }
    case "r": {
      const result = await channels.remove(id, actor);
      await ctx.answerCallbackQuery({ text: result === "removed" ? "Removed" : result === "in-use" ? "Map its categories elsewhere first" : EXPIRED });
      if (result === "in-use") return showInPlace(ctx, { text: "Categories still post to this channel. Give them another channel (or none) first.", keyboard: new InlineKeyboard().text("🔗 Which category posts where", encodeCallback(CHANNELS, "m", 0)) });
      return showInPlace(ctx, await listView(ctx));
    }
    case "m":
      await ctx.answerCallbackQuery();
      return showInPlace(ctx, await mappingView(ctx, { page: id }));
    case "g": {
      const category = await categories.byId(id);
      await ctx.answerCallbackQuery(category === null ? { text: EXPIRED } : {});
      if (category === null) return showInPlace(ctx, await mappingView(ctx, { page: 0 }));
      // `ch:g:<category>:<page>`: the channels of its audience, a page at a time.
      const fitting = pageOf((await channels.list()).filter((c) => c.audience === category.audience), target);
      const keyboard = new InlineKeyboard();
      for (const c of fitting.items) keyboard.text(label(c.title), encodeCallback(CHANNELS, "s", category.id, c.id)).row();
      addPager(keyboard, fitting, (p) => encodeCallback(CHANNELS, "g", category.id, p));
      const mapPage = pageContaining((await categories.list()).findIndex((g) => g.id === category.id));
      keyboard.text("No channel", encodeCallback(CHANNELS, "s", category.id, 0)).row().text("← Back", encodeCallback(CHANNELS, "m", mapPage));
      const none = fitting.items.length === 0 ? html`\nNo channel is for ${category.audience} yet: add one first.` : "";
      return showInPlace(ctx, { text: html`Where do videos of ${category.name} (${category.audience}) go?` + pageNote(fitting) + none, keyboard });
    }
    case "s": {
      const category = await categories.byId(id);
      const result = category === null ? "missing" : await channels.map(category, target === 0 ? null : target, actor);
      await ctx.answerCallbackQuery({ text: result === "ok" ? "Saved" : result === "mismatch" ? "That channel reaches another audience" : EXPIRED, show_alert: result === "mismatch" });
      return showInPlace(ctx, await mappingView(ctx, { focus: id }));
    }
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
  }
});
