import { badRequest, forbidden, TEXTS } from "../api-error.js";
import type { Json, JsonObject } from "../json.js";
import { botUserJson, chatMemberJson, fullChatJson, userJson } from "../state/api-objects.js";
import type { ChannelRecord, MemberStatus } from "../state/records.js";
import type { MethodContext } from "./context.js";
import { botIsPresent, numberParam, requireChat } from "./targets.js";

export function getChat(ctx: MethodContext): Json {
  return fullChatJson(requireChat(ctx), ctx.core);
}

export function getChatMember(ctx: MethodContext): Json {
  const chat = requireChat(ctx);
  const userId = numberParam(ctx, "user_id") ?? 0;
  if (chat.kind === "private") {
    if (userId === ctx.core.bot.id) return chatMemberJson(botUserJson(ctx.core.bot), "member");
    const user = ctx.core.store.users.get(userId);
    if (userId !== chat.userId || user === undefined) throw badRequest(TEXTS.userNotFound, "error");
    return chatMemberJson(userJson(user), "member");
  }
  requireMemberList(chat);
  return channelMember(ctx, chat, userId);
}

function channelMember(ctx: MethodContext, chat: ChannelRecord, userId: number): JsonObject {
  if (userId === ctx.core.bot.id) return chatMemberJson(botUserJson(ctx.core.bot), chat.botStatus, chat, true);
  const user = ctx.core.store.users.get(userId);
  if (user === undefined) throw badRequest(TEXTS.userNotFound, "error");
  return chatMemberJson(userJson(user), chat.members.get(userId) ?? "left", chat);
}

/** Channel members are visible to admins only; a bot outside the channel sees nothing. */
function requireMemberList(chat: ChannelRecord): void {
  if (!botIsPresent(chat)) throw forbidden(TEXTS.notChannelMember);
  if (chat.botStatus !== "administrator") throw badRequest(TEXTS.memberListInaccessible, "error");
}

const ADMIN_STATUSES: ReadonlySet<MemberStatus> = new Set(["creator", "administrator"]);

export function getChatAdministrators(ctx: MethodContext): Json {
  const chat = requireChat(ctx);
  if (chat.kind === "private") throw badRequest("there are no administrators in the private chat", "error");
  if (!botIsPresent(chat)) throw forbidden(TEXTS.notChannelMember);
  const admins: Json[] = [];
  for (const [userId, status] of chat.members) {
    const user = ctx.core.store.users.get(userId);
    if (user !== undefined && ADMIN_STATUSES.has(status)) admins.push(chatMemberJson(userJson(user), status, chat));
  }
  if (chat.botStatus === "administrator") admins.push(chatMemberJson(botUserJson(ctx.core.bot), "administrator", chat, true));
  return admins;
}

export function getChatMemberCount(ctx: MethodContext): Json {
  const chat = requireChat(ctx);
  if (chat.kind === "private") return 2;
  const present = [...chat.members.values()].filter((status) => status !== "left" && status !== "kicked").length;
  return present + (botIsPresent(chat) ? 1 : 0);
}
