import type { Transformer } from "grammy";

// @grammyjs/parse-mode 2.x builds formatted strings and no longer ships a default-parse-mode transformer.

type Params = Record<string, unknown>;

/** Methods whose text is parsed, with the field that carries it and the field that would give its entities instead. */
const FORMATTED: Readonly<Record<string, { text: string; entities: string }>> = {
  sendMessage: { text: "text", entities: "entities" },
  editMessageText: { text: "text", entities: "entities" },
  sendPhoto: { text: "caption", entities: "caption_entities" },
  sendVideo: { text: "caption", entities: "caption_entities" },
  sendDocument: { text: "caption", entities: "caption_entities" },
  sendAnimation: { text: "caption", entities: "caption_entities" },
  sendAudio: { text: "caption", entities: "caption_entities" },
  sendVoice: { text: "caption", entities: "caption_entities" },
  sendPaidMedia: { text: "caption", entities: "caption_entities" },
  copyMessage: { text: "caption", entities: "caption_entities" },
  editMessageCaption: { text: "caption", entities: "caption_entities" },
};

/**
 * The payload with `parse_mode: "HTML"` where its text has no parse mode of its own. Entities given
 * (even an empty list) mean the text is literal: Telegram would parse the text and drop the entities
 * if a parse mode came with them, so those are left alone.
 */
function withHtml(params: Params, text: string, entities: string): Params {
  if (typeof params[text] !== "string" || "parse_mode" in params || entities in params) return params;
  return { ...params, parse_mode: "HTML" };
}

/** An inline answer's results, each with its message text and caption parsed as HTML unless they say otherwise. */
function inlineResultsWithHtml(params: Params): Params {
  const results = params.results;
  if (!Array.isArray(results)) return params;
  return {
    ...params,
    results: results.map((result: Params) => {
      const content = result.input_message_content as Params | undefined;
      const withContent = content === undefined ? result : { ...result, input_message_content: withHtml(content, "message_text", "entities") };
      return withHtml(withContent, "caption", "caption_entities");
    }),
  };
}

/**
 * Every text vidlib sends is Telegram HTML (see html.ts): this makes it the default, so a call names a
 * parse mode only when it wants another (or none, by giving entities).
 */
export const htmlByDefault: Transformer = (prev, method, payload, signal) => {
  const params = payload as unknown as Params | undefined;
  if (params === undefined || params === null) return prev(method, payload, signal);
  const fields = FORMATTED[method];
  const next = fields !== undefined ? withHtml(params, fields.text, fields.entities)
    : method === "answerInlineQuery" ? inlineResultsWithHtml(params) : params;
  return prev(method, next as unknown as typeof payload, signal);
};
