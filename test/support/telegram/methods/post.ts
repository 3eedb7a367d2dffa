import { badRequest, TEXTS } from "../api-error.js";
import { formatText } from "../format/formatted-text.js";
import type { FormattedText } from "../format/entity.js";
import { checkCaption } from "../limits/text.js";
import { getNumber, isJsonObject, type JsonObject } from "../json.js";
import { messageJson } from "../state/api-objects.js";
import type { ChatRecord, MessageContent, StoredMessage } from "../state/records.js";
import type { MethodContext } from "./context.js";
import { applyChatKeyboard, inlineMarkup } from "./reply-markup.js";
import { stringParam } from "./targets.js";

/** Stores a message the bot sends, with reply and keyboard handling shared by all send methods. */
export function postMessage(ctx: MethodContext, chat: ChatRecord, content: MessageContent & { forwardOrigin?: JsonObject }): StoredMessage {
  const replyToId = replyTarget(ctx, chat);
  applyChatKeyboard(ctx.core, chat.id, ctx.params.reply_markup);
  return ctx.core.store.addMessage({
    chatId: chat.id,
    sender: { kind: "bot" },
    ...content,
    replyMarkup: content.replyMarkup ?? inlineMarkup(ctx),
    replyToId,
  });
}

export function postAndAnswer(ctx: MethodContext, chat: ChatRecord, content: MessageContent): JsonObject {
  return messageJson(postMessage(ctx, chat, content), ctx.core);
}

function replyTarget(ctx: MethodContext, chat: ChatRecord): number | undefined {
  const reply = ctx.params.reply_parameters;
  if (!isJsonObject(reply)) return undefined;
  const id = getNumber(reply, "message_id");
  const otherChat = reply.chat_id !== undefined && ctx.core.store.resolveChat(reply.chat_id)?.id !== chat.id;
  if (id !== undefined && !otherChat && ctx.core.store.getMessage(chat.id, id) !== undefined) return id;
  if (reply.allow_sending_without_reply === true) return undefined;
  throw badRequest(TEXTS.replyNotFound, "error");
}

/** The caption parameters of a media method, parsed and checked; undefined when there is no caption. */
export function captionOf(ctx: MethodContext, prefix = ""): FormattedText | undefined {
  const raw = stringParam(ctx, `${prefix}caption`);
  if (raw === undefined) return undefined;
  const caption = formatText(raw, ctx.params[`${prefix}parse_mode`], ctx.params[`${prefix}caption_entities`], ctx.core.formatOptions());
  checkCaption(caption);
  return caption.text === "" ? undefined : caption;
}
