import { GrammyError, HttpError, type Bot } from "grammy";
import type { BotContext } from "./context.js";
import type { Logger } from "../infra/logging/logger.js";

/** Telegram answered, but said the bot cannot run as configured. */
export class TelegramSetupError extends Error {
  override name = "TelegramSetupError";
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/**
 * Calls getMe until Telegram (or the Local Bot API server, which may still be starting) answers.
 * A rejected token is final; a network failure or 5xx is retried with backoff up to a minute.
 */
export async function connectBot(bot: Bot<BotContext>, apiRoot: string, logger: Logger, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      // bot.init() would retry network failures by itself, silently and forever; this loop says why it waits.
      bot.botInfo = await bot.api.getMe();
      logger.info({ bot: bot.botInfo.username, apiRoot }, "connected to the Bot API");
      return true;
    } catch (err) {
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        throw new TelegramSetupError(
          `The Bot API at ${apiRoot} rejected TELEGRAM_BOT_TOKEN (${err.error_code} ${err.description}). ` +
          "Check the token from @BotFather; if you moved the bot to a Local Bot API server, TELEGRAM_API_ROOT must point at it.");
      }
      if (!(err instanceof HttpError) && !(err instanceof GrammyError)) throw err;
      const delayMs = Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
      logger.warn({ apiRoot, attempt, retryInMs: delayMs, reason: err.message }, "cannot reach the Bot API; retrying");
      await sleep(delayMs, signal);
    }
  }
  return false;
}
