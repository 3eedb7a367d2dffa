import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { inlineAnswer, videoOfResult } from "../../views/inline-results.js";

const MAX_OFFSET = 100_000;

/** `@bot words` in any chat: the access gate has already turned strangers away with an empty answer. */
export const inlineSearchFeature = defineFeature({
  name: "inline-search",
  uses: ["search", "catalog", "stats"],
  commands: {},
  buttons: [],
  prompts: [],
  create({ search, catalog, stats }) {
    const composer = new Composer<BotContext>();

    composer.on("inline_query", async (ctx) => {
      const { query, offset: rawOffset } = ctx.inlineQuery;
      const offset = /^\d{1,6}$/.test(rawOffset) ? Math.min(Number(rawOffset), MAX_OFFSET) : 0;
      if (query.trim() === "") {
        await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true, button: { text: "Type words to search the library", start_parameter: "help" } });
        return;
      }
      const answer = await inlineAnswer(search, catalog, query, offset, ctx.me.username);
      // The first page is the search; later pages are the same search scrolled.
      if (offset === 0 && answer.total !== null) await stats.recordSearch(ctx.inlineQuery.from.id, "inline", query, answer.total);
      // Personal and uncached: results depend on who asks, and tags change at any time.
      await ctx.answerInlineQuery(answer.results, { cache_time: 0, is_personal: true, next_offset: answer.nextOffset });
    });

    // Telegram sends these only when inline feedback is on (@BotFather → /setinlinefeedback); see the README.
    composer.on("chosen_inline_result", async (ctx) => {
      const { result_id: resultId, query, from } = ctx.chosenInlineResult;
      const videoId = videoOfResult(resultId);
      if (videoId !== null) await stats.recordInlineChoice(from.id, query, videoId);
    });
    return composer;
  },
});
