import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { inlineAnswer } from "../views/inline-results.js";

/** `@bot words` in any chat: the access gate has already turned strangers away with an empty answer. */
export const inlineSearchFeature = new Composer<BotContext>();

const MAX_OFFSET = 100_000;

inlineSearchFeature.on("inline_query", async (ctx) => {
  const { query, offset: rawOffset } = ctx.inlineQuery;
  const offset = /^\d{1,6}$/.test(rawOffset) ? Math.min(Number(rawOffset), MAX_OFFSET) : 0;
  if (query.trim() === "") {
    await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true, button: { text: "Type words to search the library", start_parameter: "help" } });
    return;
  }
  const { search, catalog } = ctx.deps.services;
  const answer = await inlineAnswer(search, catalog, query, offset, ctx.me.username);
  // Personal and uncached: results depend on who asks, and tags change at any time.
  await ctx.answerInlineQuery(answer.results, { cache_time: 0, is_personal: true, next_offset: answer.nextOffset });
});
