import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Mounted before the conversations so that /cancel always reaches it, even mid-dialogue. */
export const cancelFeature = new Composer<BotContext>();

cancelFeature.command("cancel", async (ctx) => {
  const chatId = ctx.chat?.id ?? 0;
  const prompted = (await ctx.deps.services.chat.prompt(chatId)) !== null;
  await ctx.deps.services.chat.clearPrompt(chatId);
  const active = Object.keys(ctx.conversation.active()).length > 0 || prompted;
  await ctx.conversation.exitAll();
  await ctx.reply(active ? "Stopped. What was already saved stays saved." : "There is nothing to cancel.");
});
