import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";
import { html } from "../format.js";

/**
 * Lets through only people with a role. A stranger gets one short refusal (at most once a day) and
 * never any data; their inline queries get an empty answer and their button presses a bare answer.
 */
export const accessGate: MiddlewareFn<BotContext> = async (ctx, next) => {
  const from = ctx.from;
  // Channel posts and service updates without a person behind them are not for us.
  if (from === undefined || from.is_bot) return;
  const role = await ctx.deps.services.access.identify(from);
  if (role !== null) {
    ctx.role = role;
    await next();
    return;
  }
  ctx.deps.logger.info({ userId: from.id, updateId: ctx.update.update_id }, "refused a stranger");
  await refuse(ctx, from.id);
};

async function refuse(ctx: BotContext, userId: number): Promise<void> {
  if (ctx.inlineQuery !== undefined) {
    await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
  } else if (ctx.callbackQuery !== undefined) {
    await ctx.answerCallbackQuery();
  } else if (ctx.chat?.type === "private" && (await ctx.deps.services.access.claimRefusal(userId))) {
    await ctx.reply(html`This is a private bot. Your Telegram user id is ${userId}; an administrator can give you access.`);
  }
}
