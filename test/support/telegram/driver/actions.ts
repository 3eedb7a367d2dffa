import type { EmulatorCore } from "../core.js";
import type { JsonObject } from "../json.js";
import { botUserJson, chatJson, chatMemberJson, messageJson } from "../state/api-objects.js";
import type { CallbackAnswer, InlineAnswer } from "../state/queries.js";
import type { ChatRecord, MemberStatus, StoredMessage, UserRecord } from "../state/records.js";
import type { NewMessage } from "../state/store.js";
import { unixNow } from "../state/store.js";
import { renderTranscript } from "./transcript.js";
import { toView } from "./view.js";
import { waitUntil } from "./wait.js";

/** Stores a message a person wrote and delivers it to the bot as an update. */
export function deliverUserMessage(core: EmulatorCore, draft: NewMessage, kind: "message" | "channel_post" = "message"): StoredMessage {
  const message = core.store.addMessage(draft);
  const chat = core.store.chats.get(draft.chatId);
  const botCanSee = chat?.kind !== "channel" || chat.botStatus === "administrator" || chat.botStatus === "member";
  if (botCanSee) core.updates.push(kind, messageJson(message, core));
  return message;
}

/** The bot's membership in a chat changed: Telegram tells the bot with my_chat_member. */
export function deliverMyChatMember(core: EmulatorCore, chat: ChatRecord, from: JsonObject, change: [MemberStatus, MemberStatus]): void {
  const bot = botUserJson(core.bot);
  const channel = chat.kind === "channel" ? chat : undefined;
  core.updates.push("my_chat_member", {
    chat: chatJson(chat, core),
    from,
    date: unixNow(),
    old_chat_member: chatMemberJson(bot, change[0], channel, true),
    new_chat_member: chatMemberJson(bot, change[1], channel, true),
  });
}

export function chatTranscript(core: EmulatorCore, chatId: number, label: string): string {
  return renderTranscript(core.store.chatMessages(chatId).map(toView), label);
}

/** Waits until the bot answers a callback or inline query; never answering is a test failure. */
export function waitForQueryAnswer<T extends CallbackAnswer | InlineAnswer>(
  core: EmulatorCore,
  queryId: string,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  return waitUntil({
    core,
    timeoutMs,
    describe,
    subscribe: (wake) => {
      core.queries.on("answered", wake);
      return () => core.queries.off("answered", wake);
    },
    check: () => core.queries.answerOf(queryId) as T | undefined,
  });
}

export function userLabel(user: UserRecord): string {
  return user.username ?? user.firstName;
}
