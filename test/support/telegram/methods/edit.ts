import { badRequest, TEXTS } from "../api-error.js";
import { entityToJson, type Entity } from "../format/entity.js";
import { formatText } from "../format/formatted-text.js";
import { checkMessageText } from "../limits/text.js";
import { getString, isJsonObject, jsonEqual, type Json, type JsonObject } from "../json.js";
import { messageJson } from "../state/api-objects.js";
import type { MediaKind, StoredMessage } from "../state/records.js";
import type { MessagePatch } from "../state/store.js";
import { unixNow } from "../state/store.js";
import type { MethodContext } from "./context.js";
import { captionOf } from "./post.js";
import { inlineMarkup } from "./reply-markup.js";
import { mediaFromParams } from "./send.js";
import { requireManageableChat, requireMessage, stringParam } from "./targets.js";

/** The message an edit targets; inline messages (inline_message_id) are not tracked and yield undefined. */
function editTarget(ctx: MethodContext): StoredMessage | undefined {
  if (ctx.params.inline_message_id !== undefined) return undefined;
  if (ctx.params.chat_id === undefined || ctx.params.message_id === undefined) throw badRequest(TEXTS.identifierMissing);
  const chat = requireManageableChat(ctx, "edit");
  const message = requireMessage(ctx, chat, TEXTS.editNotFound);
  if (message.sender.kind !== "bot") throw badRequest(TEXTS.cantEdit, "error");
  return message;
}

/** Applies an edit unless it changes nothing, which Telegram refuses with "message is not modified". */
function applyEdit(ctx: MethodContext, message: StoredMessage, patch: MessagePatch): Json {
  const replyMarkup = inlineMarkup(ctx); // omitting reply_markup in an edit removes the keyboard
  const next = { ...message, ...patch, replyMarkup };
  if (sameContent(message, next)) throw badRequest(TEXTS.notModified, "error");
  const updated = ctx.core.store.updateMessage(message.chatId, message.id, { ...patch, replyMarkup, editDate: unixNow() });
  return updated === undefined ? true : messageJson(updated, ctx.core);
}

function sameContent(a: StoredMessage, b: StoredMessage): boolean {
  return (
    a.text === b.text &&
    a.caption === b.caption &&
    a.media?.file.fileId === b.media?.file.fileId &&
    jsonEqual(entitiesJson(a.entities), entitiesJson(b.entities)) &&
    jsonEqual(a.replyMarkup, b.replyMarkup)
  );
}

function entitiesJson(entities: readonly Entity[]): Json[] {
  return entities.map(entityToJson);
}

export function editMessageText(ctx: MethodContext): Json {
  const message = editTarget(ctx);
  const text = formatText(stringParam(ctx, "text") ?? "", ctx.params.parse_mode, ctx.params.entities, ctx.core.formatOptions());
  checkMessageText(text);
  if (message === undefined) return true;
  if (message.text === undefined) throw badRequest(TEXTS.noTextToEdit, "error");
  return applyEdit(ctx, message, { text: text.text, entities: text.entities });
}

export function editMessageCaption(ctx: MethodContext): Json {
  const message = editTarget(ctx);
  const caption = captionOf(ctx);
  if (message === undefined) return true;
  if (message.media === undefined) throw badRequest(TEXTS.noCaptionToEdit, "error");
  return applyEdit(ctx, message, { caption: caption?.text, entities: caption?.entities ?? [] });
}

export function editMessageReplyMarkup(ctx: MethodContext): Json {
  const message = editTarget(ctx);
  return message === undefined ? true : applyEdit(ctx, message, {});
}

const EDITABLE_MEDIA = new Set<string>(["video", "photo", "document"]);

export function editMessageMedia(ctx: MethodContext): Json {
  const message = editTarget(ctx);
  const input = ctx.params.media;
  if (!isJsonObject(input)) throw badRequest("media is empty"); // validation guarantees an object
  const type = getString(input, "type") ?? "";
  if (message === undefined) return true;
  if (message.media === undefined) throw badRequest("there is no media in the message to edit", "error");
  // animation/audio are valid InputMedia but the emulator models only these three kinds
  const kind = (EDITABLE_MEDIA.has(type) ? type : "document") as MediaKind;
  const media = mediaFromParams(ctx, kind, getString(input, "media") ?? "", input);
  const caption = captionFrom(ctx, input);
  return applyEdit(ctx, message, { media, caption: caption?.text, entities: caption?.entities ?? [] });
}

function captionFrom(ctx: MethodContext, input: JsonObject): ReturnType<typeof captionOf> {
  return captionOf({ ...ctx, params: input });
}
