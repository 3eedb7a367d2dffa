import type { Bot, MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../infra/logging/logger.js";
import type { BotContext } from "./context.js";

/** Where updates are recorded around their handling. */
export interface UpdateJournal {
  /** Records an update about to be handled; false when it was seen before (Telegram sent it again). */
  begin(update: Update): Promise<boolean>;
  finish(updateId: number): Promise<void>;
  /** Removes and returns the updates whose handling never finished, oldest first. */
  takePending(): Promise<Update[]>;
  prune(olderThanMs: number): Promise<void>;
}

// Telegram keeps an unconfirmed update for at most 24 hours; remembering finished ones for two days
// is enough to recognise every redelivery.
const REMEMBER_MS = 48 * 60 * 60 * 1000;

/** Journals each update: handled at least once across crashes, and never twice. */
export function journalMiddleware(journal: UpdateJournal): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!(await journal.begin(ctx.update))) return;
    try {
      await next();
    } finally {
      await journal.finish(ctx.update.update_id);
    }
  };
}

/** Handles again the updates a crash interrupted; run before polling starts. */
export async function replayInterruptedUpdates(bot: Bot<BotContext>, journal: UpdateJournal, logger: Logger): Promise<number> {
  await journal.prune(REMEMBER_MS);
  const pending = await journal.takePending();
  for (const update of pending) {
    logger.info({ updateId: update.update_id }, "replaying an update interrupted by a restart");
    await bot.handleUpdate(update);
  }
  return pending.length;
}
