import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** What is left after every feature: answer stale buttons and unknown commands instead of ignoring them. */
export const fallbackFeature = new Composer<BotContext>();

fallbackFeature.on("callback_query", async (ctx) => {
  await ctx.answerCallbackQuery({ text: "This menu expired. Please start again.", show_alert: false });
});

fallbackFeature.on("inline_query", async (ctx) => {
  await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
});

fallbackFeature.chatType("private").on("message", async (ctx) => {
  await ctx.reply("I did not understand that. /help lists what I can do.");
});
