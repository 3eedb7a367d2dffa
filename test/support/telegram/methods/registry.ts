import { answerCallbackQuery, answerInlineQuery } from "./answers.js";
import { deleteMyCommands, deleteWebhook, getMe, getMyCommands, getWebhookInfo, setMyCommands, setWebhook } from "./bot-methods.js";
import { getChat, getChatAdministrators, getChatMember, getChatMemberCount } from "./chat-info.js";
import type { MethodHandler } from "./context.js";
import { copyMessage, forwardMessage } from "./copy-forward.js";
import { deleteMessage, deleteMessages } from "./delete.js";
import { editMessageCaption, editMessageMedia, editMessageReplyMarkup, editMessageText } from "./edit.js";
import { getFile } from "./get-file.js";
import { getUpdates } from "./get-updates.js";
import { sendMediaGroup } from "./media-group.js";
import { sendChatAction, sendMedia, sendMessage } from "./send.js";

const always = (): true => true;

/** Methods with real behaviour. Every other schema method is validated and answered `true`. */
export const HANDLERS: Readonly<Record<string, MethodHandler>> = {
  getMe,
  logOut: always,
  close: always,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  sendMessage,
  sendVideo: sendMedia("video"),
  sendPhoto: sendMedia("photo"),
  sendDocument: sendMedia("document"),
  sendMediaGroup,
  sendChatAction,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  editMessageMedia,
  deleteMessage,
  deleteMessages,
  copyMessage,
  forwardMessage,
  getChat,
  getChatMember,
  getChatAdministrators,
  getChatMemberCount,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  answerCallbackQuery,
  answerInlineQuery,
  getFile,
};

const BY_LOWER = new Map(Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), handler]));

export function handlerFor(method: string): MethodHandler | undefined {
  return BY_LOWER.get(method.toLowerCase());
}

export const IMPLEMENTED_METHODS: readonly string[] = Object.keys(HANDLERS);
