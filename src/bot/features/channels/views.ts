import { InlineKeyboard } from "grammy";
import type { BotServices } from "../../context.js";
import { escapeHtml, html } from "../../format.js";
import { listWithin, messageWithList } from "../../../infra/telegram/limits.js";
import { label, type View } from "../../views/view.js";
import { addPager, pageContaining, pageNote, pageOf } from "../../views/paging.js";
import type { ChannelInfo } from "../../../services/publish/channels.js";
import { CHANNEL_BUTTONS } from "./buttons.js";

export type ChannelViewServices = Pick<BotServices, "channels" | "categories">;

export const backToChannels = (): InlineKeyboard => new InlineKeyboard().text("← Channels", CHANNEL_BUTTONS.list.pack({ page: 0 }));

/** The channels, their buttons a page at a time. */
export async function listView({ channels, categories }: ChannelViewServices, page = 0): Promise<View> {
  const [list, all, map] = [await channels.list(), await categories.list(), await channels.mappings()];
  const shown = pageOf(list, page);
  const keyboard = new InlineKeyboard();
  for (const c of shown.items) keyboard.text(label(`📣 ${c.title} (${c.audience})`, 50), CHANNEL_BUTTONS.open.pack({ channelId: c.id })).row();
  addPager(keyboard, shown, (p) => CHANNEL_BUTTONS.list.pack({ page: p }));
  keyboard.text("➕ Add a channel", CHANNEL_BUTTONS.add.pack({ legacy: 0 })).row();
  if (all.length > 0 && list.length > 0) keyboard.text("🔗 Which category posts where", CHANNEL_BUTTONS.mapping.pack({ page: 0 }));
  const unmapped = all.filter((g) => !map.has(g.id)).map((g) => g.name);
  const lines = list.map((c) => html`• ${c.title}${c.username === null ? "" : ` (@${c.username})`}, ${c.audience}: ` +
    (c.categories.length === 0 ? "<i>no category yet</i>" : escapeHtml(c.categories.map((g) => g.name).join(", "))));
  const head = list.length === 0 ? "📣 <b>No channels yet.</b> Add the bot to a channel as an administrator that may post, then tap Add a channel." : `📣 <b>Channels (${list.length})</b>: audience, then the categories that post there.`;
  const tail = unmapped.length === 0 ? "" : `\nCategories without a channel (their videos cannot be sent): ${listWithin(unmapped.map(escapeHtml), 1000, { separator: ", " })}`;
  const text = messageWithList(head, lines, tail, { more: (n) => `… and ${n} more ${n === 1 ? "channel" : "channels"}` });
  return { text, keyboard };
}

/** Which category posts where, a page of categories at a time, or the page showing `focus` (a category id). */
export async function mappingView({ channels, categories }: ChannelViewServices, at: { page: number } | { focus: number }): Promise<View> {
  const [all, map, list] = [await categories.list(), await channels.mappings(), await channels.list()];
  const titles = new Map(list.map((c) => [c.id, c.title]));
  const shown = pageOf(all, "page" in at ? at.page : pageContaining(all.findIndex((g) => g.id === at.focus)));
  const keyboard = new InlineKeyboard();
  for (const g of shown.items) {
    const to = map.get(g.id);
    keyboard.text(label(`${g.name} → ${to === undefined ? "none" : titles.get(to) ?? "?"}`, 50), CHANNEL_BUTTONS.category.pack({ categoryId: g.id })).row();
  }
  addPager(keyboard, shown, (p) => CHANNEL_BUTTONS.mapping.pack({ page: p }));
  keyboard.text("← Channels", CHANNEL_BUTTONS.list.pack({ page: 0 }));
  return { text: `🔗 <b>Which category posts where</b>${pageNote(shown)}. Tap a category to choose its channel; only channels of the category's audience are offered.`, keyboard };
}

/** The channels of a category's audience, a page at a time, to choose where its videos go. */
export async function categoryChannelsView({ channels, categories }: ChannelViewServices, category: { id: number; name: string; audience: string }, page: number): Promise<View> {
  const fitting = pageOf((await channels.list()).filter((c) => c.audience === category.audience), page);
  const keyboard = new InlineKeyboard();
  for (const c of fitting.items) keyboard.text(label(c.title), CHANNEL_BUTTONS.assign.pack({ categoryId: category.id, channelId: c.id })).row();
  addPager(keyboard, fitting, (p) => CHANNEL_BUTTONS.category.pack({ categoryId: category.id, page: p }));
  const mapPage = pageContaining((await categories.list()).findIndex((g) => g.id === category.id));
  keyboard.text("No channel", CHANNEL_BUTTONS.assign.pack({ categoryId: category.id, channelId: 0 })).row().text("← Back", CHANNEL_BUTTONS.mapping.pack({ page: mapPage }));
  const none = fitting.items.length === 0 ? html`\nNo channel is for ${category.audience} yet: add one first.` : "";
  return { text: html`Where do videos of ${category.name} (${category.audience}) go?` + pageNote(fitting) + none, keyboard };
}

/** One channel, with its remove button. */
export function channelView(channel: ChannelInfo): View {
  return {
    text: html`📣 ${channel.title}${channel.username === null ? "" : ` (@${channel.username})`}\nAudience: ${channel.audience}\nCategories: ${channel.categories.map((g) => g.name).join(", ") || "none"}`,
    keyboard: new InlineKeyboard().text("🗑 Remove", CHANNEL_BUTTONS.remove.pack({ channelId: channel.id })).row().text("← Channels", CHANNEL_BUTTONS.list.pack({ page: 0 })),
  };
}

/** Where to go after adding a channel: its categories' map, or back to the list. */
export const afterAdding = (): InlineKeyboard =>
  new InlineKeyboard().text("🔗 Which category posts where", CHANNEL_BUTTONS.mapping.pack({ page: 0 })).row().text("← Channels", CHANNEL_BUTTONS.list.pack({ page: 0 }));
