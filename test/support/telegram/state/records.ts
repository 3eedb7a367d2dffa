import type { Entity } from "../format/entity.js";
import type { JsonObject } from "../json.js";

export interface UserRecord {
  readonly id: number;
  readonly firstName: string;
  readonly lastName?: string;
  readonly username?: string;
  readonly languageCode?: string;
  /** The user blocked the bot: sending to them fails with 403. */
  blocked: boolean;
}

export type BotChannelStatus = "administrator" | "member" | "left" | "kicked";
export type MemberStatus = "creator" | "administrator" | "member" | "restricted" | "left" | "kicked";

export interface PrivateChatRecord {
  readonly kind: "private";
  readonly id: number;
  readonly userId: number;
}

export interface ChannelRecord {
  readonly kind: "channel";
  readonly id: number;
  title: string;
  username?: string;
  botStatus: BotChannelStatus;
  canPostMessages: boolean;
  canEditMessages: boolean;
  canDeleteMessages: boolean;
  readonly members: Map<number, MemberStatus>;
}

export type ChatRecord = PrivateChatRecord | ChannelRecord;

/** Who a message is from: the bot, a user, or the channel itself (a post by a human admin). */
export type Sender = { readonly kind: "bot" } | { readonly kind: "user"; readonly userId: number } | { readonly kind: "channel" };

export type FileKind = "video" | "photo" | "document" | "thumbnail";

export interface FileRecord {
  readonly fileId: string;
  readonly fileUniqueId: string;
  readonly kind: FileKind;
  readonly size: number;
  readonly fileName?: string;
  readonly mimeType?: string;
  /** Where getFile points; an absolute path for file:// sends in the local profile. */
  readonly filePath: string;
  readonly source: "upload" | "url" | "local";
  /** The whole content, when the upload was small enough to keep. */
  readonly data?: Buffer;
}

export type MediaKind = "video" | "photo" | "document";

export interface StoredMedia {
  readonly kind: MediaKind;
  readonly file: FileRecord;
  readonly width: number;
  readonly height: number;
  readonly duration: number;
  readonly supportsStreaming: boolean;
  readonly thumbnail?: FileRecord;
}

export interface StoredMessage {
  readonly chatId: number;
  readonly id: number;
  readonly date: number;
  readonly sender: Sender;
  readonly editDate?: number;
  readonly text?: string;
  readonly caption?: string;
  /** Entities of the text, or of the caption for media messages. */
  readonly entities: readonly Entity[];
  readonly media?: StoredMedia;
  /** Inline keyboards only; reply keyboards belong to the chat, not to a message. */
  readonly replyMarkup?: JsonObject;
  readonly forwardOrigin?: JsonObject;
  readonly replyToId?: number;
  /** Sequence number of the last change, to tell "changed after the user acted". */
  readonly changeSeq: number;
}

export type MessageContent = Pick<StoredMessage, "text" | "caption" | "entities" | "media" | "replyMarkup">;
