import type { NextFunction } from "grammy";
import type { BotContext } from "../context.js";
import { UNKNOWN_MENU } from "../views/respond.js";

/**
 * Every button press gets an answer, whatever handled it (or did not): Telegram's client keeps a spinner
 * turning on a button until its callback query is answered. Features answer their own presses; this
 * answers any press that went unanswered, saying why.
 */
export async function answerEveryButton(ctx: BotContext, next: NextFunction): Promise<void> {
  if (ctx.callbackQuery === undefined) return next();
  let answered = false;
  ctx.api.config.use((prev, method, payload, signal) => {
    if (method === "answerCallbackQuery") answered = true;
    return prev(method, payload, signal);
  });
  try {
    await next();
  } finally {
    if (!answered) {
      const inDialogue = Object.keys(ctx.conversation?.active() ?? {}).length > 0;
      await ctx.answerCallbackQuery({
        text: inDialogue ? "A question is waiting for your answer above: answer it, or send /cancel to stop." : UNKNOWN_MENU,
      }).catch(() => undefined);
    }
  }
}
