import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { formatCount } from "../../services/units.js";
import { can, type Permission } from "../../services/permissions.js";
import { EXPIRED, pressed, send, showInPlace, who, } from "../views/respond.js";
import { VIDEO } from "../views/video-card.js";
import { openCard } from "./video-card.js";
import type { SearchOutcome } from "../../services/search/search-service.js";
import { label, type View } from "../views/view.js";
import { listWithin, messageWithList } from "../../infra/telegram/limits.js";

export const SEARCH = "s";
export const BULK = "b";
const PAGE_SIZE = 10;
const QUERY_SHOWN = 80;
// Each result's tags within this many characters, so that a page of ten fits in one message.
const TAGS_SHOWN = 120;

export const searchFeature = new Composer<BotContext>();

const quoted = (query: string): string => escapeHtml([...query].length > QUERY_SHOWN ? `${[...query].slice(0, QUERY_SHOWN - 1).join("")}…` : query);

/** One page of a saved search, or a message saying why there is none; `logId` is its analytics record (0: none). */
export async function resultsView(ctx: BotContext, searchId: number, query: string, page: number, logId = 0): Promise<View | string> {
  const outcome = await ctx.deps.services.search.search(query, { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  return resultsPage(ctx, outcome, { searchId, query, page, logId });
}

async function resultsPage(ctx: BotContext, outcome: SearchOutcome, at: { searchId: number; query: string; page: number; logId: number }): Promise<View | string> {
  const { searchId, query, page, logId } = at;
  if (!outcome.ok) return "Send some words to search for, for example <i>electrostatics lecture 4</i>. Punctuation and emoji alone do not search.";
  if (outcome.total === 0) return `No videos match “${quoted(query)}”. Try fewer or shorter words.`;
  const pages = Math.ceil(outcome.total / PAGE_SIZE);
  if (page >= pages) return EXPIRED;
  const videos = await ctx.deps.services.catalog.videos(outcome.ids);
  const keyboard = new InlineKeyboard();
  const lines = videos.map((v, i) => {
    const n = page * PAGE_SIZE + i + 1;
    // Opening a result through the search records the choice for /stats.
    keyboard.text(label(`${n}. ${v.fileName}`, 60), logId === 0 ? encodeCallback(VIDEO, "o", v.id) : encodeCallback(SEARCH, "o", logId, v.id)).row();
    const tags = v.tags.length === 0 ? "" : ` · ${listWithin(v.tags.map((t) => escapeHtml(t.name)), TAGS_SHOWN, { separator: ", " })}`;
    return `${n}. <b>${escapeHtml(v.fileName)}</b>${tags}`;
  });
  if (pages > 1) {
    if (page > 0) keyboard.text("‹ Previous", encodeCallback(SEARCH, "p", searchId, page - 1, logId));
    if (page + 1 < pages) keyboard.text("Next ›", encodeCallback(SEARCH, "p", searchId, page + 1, logId));
    keyboard.row();
  }
  const n = formatCount(outcome.total);
  const may = (p: Permission): boolean => can(ctx.role, p);
  if (may("tag")) keyboard.text(`🏷 Tag all ${n}`, encodeCallback(BULK, "t", searchId)).text(`✕ Untag all ${n}`, encodeCallback(BULK, "u", searchId)).row();
  if (may("categorise")) keyboard.text(`📂 Set category for all ${n}`, encodeCallback(BULK, "c", searchId)).row();
  if (may("convert")) keyboard.text(`🔄 Convert all ${n}`, encodeCallback(BULK, "v", searchId));
  if (may("queue")) keyboard.text(`📤 Send all ${n}`, encodeCallback(BULK, "pu", searchId));
  const header = `🔎 <b>${n} ${outcome.total === 1 ? "video matches" : "videos match"}</b> “${quoted(query)}”${pages > 1 ? ` — page ${page + 1} of ${pages}` : ""}`;
  return { text: messageWithList(`${header}\n`, lines, "", { more: (hidden) => `… and ${hidden} more on this page (see the buttons)` }), keyboard };
}

/** Runs a search typed by a person and sends the first page. */
export async function runSearch(ctx: BotContext, query: string): Promise<void> {
  const { chat, search, stats } = ctx.deps.services;
  const { chatId, userId } = who(ctx);
  const searchId = await chat.saveSearch(chatId, query);
  const outcome = await search.search(query, { limit: PAGE_SIZE, offset: 0 });
  // Searches that are words are recorded (with no result too: those are hints for tagging).
  const logId = outcome.ok ? await stats.recordSearch(userId, "chat", query, outcome.total) : 0;
  const view = await resultsPage(ctx, outcome, { searchId, query, page: 0, logId });
  if (typeof view === "string") await ctx.reply(view, { parse_mode: "HTML" });
  else await send(ctx, view);
}

searchFeature.command("search", async (ctx) => {
  const query = ctx.match.trim();
  if (query === "") {
    await ctx.reply("Send /search followed by words, for example <i>/search electrostatics lecture 4</i>. You can also just send the words.", { parse_mode: "HTML" });
    return;
  }
  await runSearch(ctx, query);
});

searchFeature.callbackQuery(/^s:o:/, async (ctx) => {
  const [logId, videoId] = pressed(ctx, SEARCH)?.ids ?? [];
  if (logId === undefined || videoId === undefined) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
  await ctx.deps.services.stats.recordChoice(logId, who(ctx).userId, videoId);
  await ctx.answerCallbackQuery();
  await openCard(ctx, videoId);
});

searchFeature.callbackQuery(/^s:/, async (ctx) => {
  const button = pressed(ctx, SEARCH);
  const [searchId, page, logId] = button?.ids ?? [];
  const saved = searchId === undefined ? null : await ctx.deps.services.chat.search(searchId, who(ctx).chatId);
  if (button?.data.verb !== "p" || saved === null || page === undefined) {
    await ctx.answerCallbackQuery({ text: EXPIRED });
    return;
  }
  const view = await resultsView(ctx, saved.id, saved.query, page, logId ?? 0);
  await ctx.answerCallbackQuery(typeof view === "string" ? { text: "Nothing more to show — search again." } : {});
  if (typeof view !== "string") await showInPlace(ctx, view);
});
