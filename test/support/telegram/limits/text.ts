import { badRequest, TEXTS } from "../api-error.js";
import type { FormattedText } from "../format/entity.js";

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
/** A callback query's answer (the toast or alert): plain text, never parsed. */
export const MAX_CALLBACK_ANSWER = 200;

/** Limits count UTF-16 code units of the text *after* entity parsing, as Telegram does. */
export function checkMessageText(text: FormattedText): void {
  if (text.text.length === 0) throw badRequest(TEXTS.textEmpty);
  if (text.text.length > MAX_TEXT) throw badRequest(TEXTS.textTooLong);
}

export function checkCaption(caption: FormattedText): void {
  if (caption.text.length > MAX_CAPTION) throw badRequest(TEXTS.captionTooLong);
}

export function checkCallbackAnswer(text: string | undefined): void {
  if (text !== undefined && text.length > MAX_CALLBACK_ANSWER) throw badRequest(TEXTS.callbackAnswerTooLong);
}
