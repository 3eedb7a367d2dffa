import { badRequest, TEXTS } from "../api-error.js";
import { isJsonObject, utf8Length, type Json, type JsonObject } from "../json.js";

export const MAX_BUTTONS = 100;
export const MAX_CALLBACK_DATA_BYTES = 64;

// an inline button must do exactly one of these; a bare text button is refused
const ACTIONS = [
  "url", "callback_data", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
];

/** Checks what the schema cannot: button count, callback_data bytes, buttons without an action. */
export function checkReplyMarkup(markup: Json | undefined): void {
  if (!isJsonObject(markup) || !Array.isArray(markup.inline_keyboard)) return;
  let count = 0;
  for (const row of markup.inline_keyboard) {
    if (!Array.isArray(row)) continue;
    for (const button of row) {
      count++;
      if (isJsonObject(button)) checkButton(button);
    }
  }
  if (count > MAX_BUTTONS) throw badRequest(TEXTS.replyMarkupTooLong);
}

function checkButton(button: JsonObject): void {
  const data = button.callback_data;
  if (typeof data === "string") {
    const bytes = utf8Length(data);
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest(TEXTS.buttonDataInvalid);
  }
  if (!ACTIONS.some((action) => button[action] !== undefined && button[action] !== null)) {
    throw badRequest(TEXTS.textButtonsUnallowed);
  }
}
