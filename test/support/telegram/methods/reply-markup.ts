import { isJsonObject, type JsonObject } from "../json.js";
import type { EmulatorCore } from "../core.js";
import type { MethodContext } from "./context.js";

/** The inline keyboard to store on the message; other markups affect the chat instead. */
export function inlineMarkup(ctx: MethodContext): JsonObject | undefined {
  const markup = ctx.params.reply_markup;
  return isJsonObject(markup) && Array.isArray(markup.inline_keyboard) ? markup : undefined;
}

/** Reply keyboards stay under the input field until removed, whatever message brought them. */
export function applyChatKeyboard(core: EmulatorCore, chatId: number, markup: unknown): void {
  if (!isJsonObject(markup)) return;
  if (markup.remove_keyboard === true) core.store.replyKeyboards.delete(chatId);
  if (!Array.isArray(markup.keyboard)) return;
  const labels = markup.keyboard.map((row) =>
    Array.isArray(row) ? row.map((button) => (typeof button === "string" ? button : isJsonObject(button) && typeof button.text === "string" ? button.text : "")) : [],
  );
  core.store.replyKeyboards.set(chatId, labels);
}
