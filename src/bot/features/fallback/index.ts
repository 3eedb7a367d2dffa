import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { UNKNOWN_MENU } from "../../views/respond.js";

/** What is left after every feature: answer stale buttons and unknown commands instead of ignoring them. Last in the list. */
export const fallbackFeature = defineFeature({
  name: "fallback",
  uses: [],
  commands: {},
  buttons: [],
  prompts: [],
  create() {
    const composer = new Composer<BotContext>();
    composer.on("callback_query", async (ctx) => {
      await ctx.answerCallbackQuery({ text: UNKNOWN_MENU });
    });
    composer.on("inline_query", async (ctx) => {
      await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    });
    composer.chatType("private").on("message", async (ctx) => {
      await ctx.reply("I did not understand that. /help lists what I can do.");
    });
    return composer;
  },
});
