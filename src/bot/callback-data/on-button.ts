import type { CallbackQueryContext, Composer } from "grammy";
import type { BotContext } from "../context.js";
import { EXPIRED } from "../views/respond.js";
import type { Button, ButtonValues, Fields } from "./button.js";

export type ButtonContext = CallbackQueryContext<BotContext>;

const escapeForRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

/**
 * Answers one button with its typed values. Data that names the button but does not fit its fields
 * (stale, forged, cut) answers "this menu expired", so the handler only ever sees well-formed values.
 */
export function onButton<F extends Fields>(
  composer: Composer<BotContext>,
  button: Button<F>,
  handler: (ctx: ButtonContext, values: ButtonValues<F>) => Promise<unknown>,
): void {
  composer.callbackQuery(new RegExp(`^${escapeForRegExp(button.key)}(?::|$)`, "u"), async (ctx) => {
    const values = button.unpack(ctx.callbackQuery.data);
    if (values === null) {
      await ctx.answerCallbackQuery({ text: EXPIRED });
      return;
    }
    await handler(ctx, values);
  });
}
