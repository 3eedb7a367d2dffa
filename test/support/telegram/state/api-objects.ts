import { entityToJson } from "../format/entity.js";
import { compact, type Json, type JsonObject } from "../json.js";
import type { ChannelRecord, ChatRecord, FileRecord, MemberStatus, StoredMedia, StoredMessage, UserRecord } from "./records.js";
import type { ChatStore } from "./store.js";

export interface BotIdentity {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  readonly supportsInlineQueries: boolean;
}

/** What the JSON builders need to know about the world. */
export interface ApiView {
  readonly store: ChatStore;
  readonly bot: BotIdentity;
}

export function userJson(user: UserRecord): JsonObject {
  return compact({
    id: user.id,
    is_bot: false,
    first_name: user.firstName,
    last_name: user.lastName,
    username: user.username,
    language_code: user.languageCode,
  });
}

export function botUserJson(bot: BotIdentity): JsonObject {
  return { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username };
}

/** Stand-in for a user the emulator does not know (e.g. a tg://user?id= link to a stranger). */
export function userJsonById(view: ApiView, id: number): JsonObject {
  if (id === view.bot.id) return botUserJson(view.bot);
  const user = view.store.users.get(id);
  return user === undefined ? { id, is_bot: false, first_name: `User ${id}` } : userJson(user);
}

export function chatJson(chat: ChatRecord, view: ApiView): JsonObject {
  if (chat.kind === "channel") return compact({ id: chat.id, type: "channel", title: chat.title, username: chat.username });
  const user = view.store.users.get(chat.userId);
  return compact({
    id: chat.id,
    type: "private",
    first_name: user?.firstName ?? "",
    last_name: user?.lastName,
    username: user?.username,
  });
}

/** getChat's ChatFullInfo: the Chat fields plus the ones Bot API 10.1 marks as required. */
export function fullChatJson(chat: ChatRecord, view: ApiView): JsonObject {
  const giftTypes = { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false };
  return { ...chatJson(chat, view), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: giftTypes };
}

export function messageJson(message: StoredMessage, view: ApiView, withReply = true): JsonObject {
  const chat = view.store.chats.get(message.chatId);
  const sender = message.sender;
  const inChannel = chat?.kind === "channel";
  const replied = withReply && message.replyToId !== undefined ? view.store.getMessage(message.chatId, message.replyToId) : undefined;
  const entities = message.entities.length > 0 ? message.entities.map(entityToJson) : undefined;
  const [mediaKey, mediaValue] = message.media === undefined ? [undefined, undefined] : mediaJson(message.media);
  return compact({
    message_id: message.id,
    from: inChannel ? undefined : sender.kind === "bot" ? botUserJson(view.bot) : senderUser(sender, view),
    sender_chat: inChannel ? chatJson(chat, view) : undefined,
    date: message.date,
    chat: chat === undefined ? { id: message.chatId, type: "private" } : chatJson(chat, view),
    forward_origin: message.forwardOrigin,
    reply_to_message: replied === undefined ? undefined : messageJson(replied, view, false),
    edit_date: message.editDate,
    text: message.text,
    entities: message.text === undefined ? undefined : entities,
    caption: message.caption,
    caption_entities: message.text === undefined ? entities : undefined,
    ...(mediaKey === undefined ? {} : { [mediaKey]: mediaValue }),
    reply_markup: message.replyMarkup,
  });
}

function senderUser(sender: StoredMessage["sender"], view: ApiView): JsonObject | undefined {
  return sender.kind === "user" ? userJsonById(view, sender.userId) : undefined;
}

export function photoSizeJson(file: FileRecord, width: number, height: number): JsonObject {
  return compact({ file_id: file.fileId, file_unique_id: file.fileUniqueId, width, height, file_size: file.size || undefined });
}

function mediaJson(media: StoredMedia): [string, Json] {
  const file = media.file;
  const thumbnail = media.thumbnail === undefined ? undefined : photoSizeJson(media.thumbnail, 320, 180);
  const common = {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_name: file.fileName,
    mime_type: file.mimeType,
    file_size: file.size || undefined,
  };
  if (media.kind === "photo") return ["photo", [photoSizeJson(file, media.width, media.height)]];
  if (media.kind === "document") return ["document", compact({ ...common, thumbnail })];
  return ["video", compact({ ...common, width: media.width, height: media.height, duration: media.duration, thumbnail })];
}

const ADMIN_RIGHTS = {
  can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true,
  can_manage_video_chats: false, can_restrict_members: true, can_promote_members: false, can_change_info: true,
  can_invite_users: true, can_post_stories: false, can_edit_stories: false, can_delete_stories: false,
};

const RESTRICTIONS = {
  is_member: true, can_send_messages: false, can_send_audios: false, can_send_documents: false, can_send_photos: false,
  can_send_videos: false, can_send_video_notes: false, can_send_voice_notes: false, can_send_polls: false,
  can_send_other_messages: false, can_add_web_page_previews: false, can_react_to_messages: false, can_edit_tag: false,
  can_change_info: false, can_invite_users: false, can_pin_messages: false, can_manage_topics: false, until_date: 0,
};

export function chatMemberJson(user: JsonObject, status: MemberStatus, channel?: ChannelRecord, isBot = false): JsonObject {
  switch (status) {
    case "creator":
      return { status, user, is_anonymous: false };
    case "administrator": {
      const posting = channel === undefined ? {} : postingRights(channel, isBot);
      return { status, user, ...ADMIN_RIGHTS, ...posting };
    }
    case "restricted":
      return { status, user, ...RESTRICTIONS };
    case "kicked":
      return { status, user, until_date: 0 };
    default:
      return { status, user };
  }
}

function postingRights(channel: ChannelRecord, isBot: boolean): JsonObject {
  if (!isBot) return { can_post_messages: true, can_edit_messages: true };
  return {
    can_post_messages: channel.canPostMessages,
    can_edit_messages: channel.canEditMessages,
    can_delete_messages: channel.canDeleteMessages,
  };
}
