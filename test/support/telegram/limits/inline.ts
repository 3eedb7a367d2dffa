import { badRequest, TEXTS } from "../api-error.js";
import { formatText, type FormatOptions } from "../format/formatted-text.js";
import { getObject, getString, isJsonObject, utf8Length, type JsonObject } from "../json.js";
import { checkReplyMarkup } from "./keyboard.js";
import { checkCaption, checkMessageText } from "./text.js";

export const MAX_INLINE_RESULTS = 50;
export const MAX_OFFSET_BYTES = 64;
export const MAX_RESULT_ID_BYTES = 64;

/** answerInlineQuery limits: result count, next_offset and id sizes, unique ids, and each result's texts. */
export function checkInlineAnswer(params: JsonObject, format: FormatOptions): void {
  const results = Array.isArray(params.results) ? params.results : [];
  if (results.length > MAX_INLINE_RESULTS) throw badRequest(TEXTS.resultsTooMuch);
  const nextOffset = params.next_offset;
  if (typeof nextOffset === "string" && utf8Length(nextOffset) > MAX_OFFSET_BYTES) throw badRequest(TEXTS.nextOffsetInvalid);
  const seen = new Set<string>();
  for (const result of results) {
    if (!isJsonObject(result)) continue;
    const id = getString(result, "id") ?? "";
    if (utf8Length(id) < 1 || utf8Length(id) > MAX_RESULT_ID_BYTES) throw badRequest(TEXTS.resultIdInvalid);
    if (seen.has(id)) throw badRequest(TEXTS.resultIdDuplicate);
    seen.add(id);
    checkResultContent(result, format);
  }
}

function checkResultContent(result: JsonObject, format: FormatOptions): void {
  checkReplyMarkup(result.reply_markup);
  const caption = getString(result, "caption");
  if (caption !== undefined) checkCaption(formatText(caption, result.parse_mode, result.caption_entities, format));
  const content = getObject(result, "input_message_content");
  const messageText = content === undefined ? undefined : getString(content, "message_text");
  if (content !== undefined && messageText !== undefined) {
    checkMessageText(formatText(messageText, content.parse_mode, content.entities, format));
  }
}
