import type { Entity } from "./format/entity.js";
import type { JsonObject } from "./json.js";

/** One HTTP request the bot made. `status` is 0 while it is still being answered (or was never answered). */
export interface RequestRecord {
  readonly method: string;
  /** Typed parameters once validated; before that (or if invalid) what arrived, with files summarized. */
  params: JsonObject;
  status: number;
  /** Milliseconds since the epoch when the request body had been read. */
  readonly at: number;
  /** When the answer was written (or the connection lost): with `at`, which requests overlapped. */
  answeredAt?: number;
  description?: string;
}

/** Something a correct bot never does (schema breach, exceeded limit, malformed markup …). */
export interface Violation {
  readonly method: string;
  readonly message: string;
  readonly params: JsonObject;
}

/** A Telegram error a correct bot can still meet (stale message, blocked user, answered query …). */
export interface ErrorRecord {
  readonly method: string;
  readonly code: number;
  readonly message: string;
  readonly params: JsonObject;
}

export interface ViewMedia {
  readonly kind: "video" | "photo" | "document";
  readonly fileId: string;
  readonly fileUniqueId: string;
  readonly fileName?: string;
  readonly mimeType?: string;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly duration: number;
  readonly supportsStreaming: boolean;
  readonly hasThumbnail: boolean;
}

export interface ViewButton {
  readonly text: string;
  readonly callbackData?: string;
  readonly url?: string;
}

/**
 * A message as a person sees it in the chat right now. Optional fields are
 * absent (not undefined) when they do not apply, so `toEqual` stays readable.
 */
export interface ViewMessage {
  readonly id: number;
  readonly from: "bot" | "user";
  readonly text?: string;
  readonly caption?: string;
  /** Entities of the text or caption, including detected ones (bot_command, url …). */
  readonly entities?: readonly Entity[];
  readonly media?: ViewMedia;
  /** Inline keyboard labels, row by row ([] without a keyboard). */
  readonly buttons: string[][];
  /** The same keyboard with callback data and URLs; present only with a keyboard. */
  readonly keyboard?: ViewButton[][];
  /** Present (true) once the message has been edited. */
  readonly edited?: true;
  readonly forwardedFrom?: { readonly chatId: number; readonly messageId: number };
  readonly replyToId?: number;
}

export interface ChatActionRecord {
  readonly chatId: number;
  readonly action: string;
  readonly at: number;
}
