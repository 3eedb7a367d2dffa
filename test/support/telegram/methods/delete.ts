import { badRequest, TEXTS } from "../api-error.js";
import type { Json } from "../json.js";
import type { MethodContext } from "./context.js";
import { requireManageableChat, requireMessage } from "./targets.js";

export function deleteMessage(ctx: MethodContext): Json {
  const chat = requireManageableChat(ctx, "delete");
  const message = requireMessage(ctx, chat, TEXTS.deleteNotFound);
  ctx.core.store.deleteMessage(chat.id, message.id);
  return true;
}

/** Deletes what exists; Telegram only complains when none of the messages could be deleted. */
export function deleteMessages(ctx: MethodContext): Json {
  const chat = requireManageableChat(ctx, "delete");
  const ids = Array.isArray(ctx.params.message_ids) ? ctx.params.message_ids : [];
  let deleted = 0;
  for (const id of ids) {
    if (typeof id === "number" && ctx.core.store.deleteMessage(chat.id, id)) deleted++;
  }
  if (deleted === 0) throw badRequest(TEXTS.deleteNotFound, "error");
  return true;
}
