import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Mounted before the conversations so that /cancel always reaches it, even mid-dialogue. */
export const cancelFeature = new Composer<BotContext>();

cancelFeature.command("cancel", async (ctx) => {
  const active = Object.keys(ctx.conversation.active()).length > 0;
  await ctx.conversation.exitAll();
  await ctx.reply(active ? "Stopped. Nothing was saved from that dialogue." : "There is nothing to cancel.");
});
