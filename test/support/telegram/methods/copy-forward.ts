import { TEXTS } from "../api-error.js";
import type { Json, JsonObject } from "../json.js";
import { botUserJson, chatJson, messageJson, userJsonById } from "../state/api-objects.js";
import type { ChatRecord, StoredMessage } from "../state/records.js";
import type { EmulatorCore } from "../core.js";
import type { MethodContext } from "./context.js";
import { captionOf, postMessage } from "./post.js";
import { requireChat, requireMessage, requireWritableChat } from "./targets.js";

/** Where a forwarded message says it came from (Bot API 7+ forward_origin). */
export function originOf(core: EmulatorCore, source: ChatRecord, message: StoredMessage): JsonObject {
  if (message.forwardOrigin !== undefined) return message.forwardOrigin;
  if (source.kind === "channel") {
    return { type: "channel", date: message.date, chat: chatJson(source, core), message_id: message.id };
  }
  const sender = message.sender;
  const user = sender.kind === "user" ? userJsonById(core, sender.userId) : botUserJson(core.bot);
  return { type: "user", date: message.date, sender_user: user };
}

export function forwardMessage(ctx: MethodContext): Json {
  const source = requireChat(ctx, "from_chat_id");
  const original = requireMessage(ctx, source, TEXTS.forwardNotFound);
  const target = requireWritableChat(ctx);
  const message = postMessage(ctx, target, {
    text: original.text,
    caption: original.caption,
    entities: original.entities,
    media: original.media,
    forwardOrigin: originOf(ctx.core, source, original),
  });
  return messageJson(message, ctx.core);
}

/** Like forwarding, but without the origin; the caption may be replaced. Answers a MessageId. */
export function copyMessage(ctx: MethodContext): Json {
  const source = requireChat(ctx, "from_chat_id");
  const original = requireMessage(ctx, source, TEXTS.copyNotFound);
  const target = requireWritableChat(ctx);
  const newCaption = ctx.params.caption === undefined ? undefined : captionOf(ctx);
  const keepsCaption = ctx.params.caption === undefined;
  const message = postMessage(ctx, target, {
    text: original.text,
    caption: keepsCaption ? original.caption : newCaption?.text,
    entities: keepsCaption || original.media === undefined ? original.entities : (newCaption?.entities ?? []),
    media: original.media,
  });
  return { message_id: message.id };
}
