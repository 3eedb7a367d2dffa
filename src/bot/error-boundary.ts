import { GrammyError, HttpError, type BotError } from "grammy";
import type { Logger } from "../infra/logging/logger.js";
import type { BotContext } from "./context.js";

/** Logs a failed update (Telegram's refusal, a network failure, or our bug) and tells the user briefly. */
export function createErrorHandler(logger: Logger) {
  return async (error: BotError<BotContext>): Promise<void> => {
    const ctx = error.ctx;
    const cause = error.error;
    const about = { updateId: ctx.update.update_id, chatId: ctx.chat?.id, userId: ctx.from?.id };
    if (cause instanceof GrammyError) {
      logger.warn({ ...about, method: cause.method, code: cause.error_code, description: cause.description }, "Telegram refused a request");
    } else if (cause instanceof HttpError) {
      // HttpError's text names the request URL, which holds the token: the logger's stream redacts it.
      logger.warn({ ...about, err: cause }, "network failure talking to Telegram");
    } else {
      logger.error({ ...about, err: cause }, "unexpected error while handling an update");
    }
    await tellUser(ctx).catch((e: unknown) => logger.debug({ ...about, err: e }, "could not tell the user about the error"));
  };
}

async function tellUser(ctx: BotContext): Promise<void> {
  const text = "Sorry, something went wrong. It has been logged; please try again.";
  if (ctx.callbackQuery !== undefined) {
    await ctx.answerCallbackQuery({ text });
  } else if (ctx.inlineQuery !== undefined) {
    await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
  } else if (ctx.chat?.type === "private") {
    await ctx.reply(text);
  }
}
