import { badRequest, forbidden, TEXTS } from "../api-error.js";
import type { ChannelRecord, ChatRecord, StoredMessage } from "../state/records.js";
import type { MethodContext } from "./context.js";

/** The chat named by a parameter; a correct bot can still name a chat that is gone, so this is an "error". */
export function requireChat(ctx: MethodContext, key = "chat_id"): ChatRecord {
  const chat = ctx.core.store.resolveChat(ctx.params[key]);
  if (chat === undefined) throw badRequest(TEXTS.chatNotFound, "error");
  if (chat.kind === "channel" && !botIsPresent(chat) && chat.username === undefined) {
    throw badRequest(TEXTS.chatNotFound, "error"); // a private channel the bot is not in is invisible to it
  }
  return chat;
}

/** A chat the bot may post into right now. */
export function requireWritableChat(ctx: MethodContext, key = "chat_id"): ChatRecord {
  const chat = requireChat(ctx, key);
  if (chat.kind === "private") {
    if (ctx.core.store.users.get(chat.userId)?.blocked === true) throw forbidden(TEXTS.blockedByUser);
    return chat;
  }
  requireChannelAdmin(chat, chat.canPostMessages);
  return chat;
}

/** Editing and deleting in a channel need admin rights; in private chats they need nothing. */
export function requireManageableChat(ctx: MethodContext, right: "edit" | "delete"): ChatRecord {
  const chat = requireChat(ctx);
  if (chat.kind === "channel") requireChannelAdmin(chat, right === "edit" ? chat.canEditMessages || chat.canPostMessages : chat.canDeleteMessages);
  return chat;
}

export function requireChannelAdmin(chat: ChannelRecord, hasRight: boolean): void {
  if (chat.botStatus === "kicked") throw forbidden(TEXTS.kickedFromChannel);
  if (chat.botStatus === "left") throw forbidden(TEXTS.notChannelMember);
  if (chat.botStatus !== "administrator" || !hasRight) throw badRequest(TEXTS.needAdminRights, "error");
}

export function botIsPresent(chat: ChannelRecord): boolean {
  return chat.botStatus === "administrator" || chat.botStatus === "member";
}

export function requireMessage(ctx: MethodContext, chat: ChatRecord, notFound: string, key = "message_id"): StoredMessage {
  const id = ctx.params[key];
  const message = typeof id === "number" ? ctx.core.store.getMessage(chat.id, id) : undefined;
  if (message === undefined) throw badRequest(notFound, "error");
  return message;
}

export function stringParam(ctx: MethodContext, key: string): string | undefined {
  const value = ctx.params[key];
  return typeof value === "string" ? value : undefined;
}

export function numberParam(ctx: MethodContext, key: string): number | undefined {
  const value = ctx.params[key];
  return typeof value === "number" ? value : undefined;
}
