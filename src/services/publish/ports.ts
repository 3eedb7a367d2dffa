/** A file to send: a path the Local Bot API server reads itself, or bytes to upload. */
export interface OutgoingVideo {
  readonly path: string;
  readonly fileName: string;
  readonly durationS: number | null;
  readonly width: number | null;
  readonly height: number | null;
  /** JPEG, at most 320 px on its longer side; null when none could be made. */
  readonly thumbnail: Uint8Array | null;
}

/** How a call to Telegram ended. */
export type TelegramOutcome<T> =
  | { readonly ok: true; readonly value: T }
  /** 429: wait exactly this long; it is not the item's fault. */
  | { readonly ok: false; readonly kind: "rate-limited"; readonly retryAfterS: number; readonly description: string }
  /** 400/403: Telegram refused; trying again would not help. */
  | { readonly ok: false; readonly kind: "refused"; readonly code: number; readonly description: string }
  /** Network errors before the whole request reached Telegram, and 5xx answers: try again later. */
  | { readonly ok: false; readonly kind: "transient"; readonly description: string }
  /** A posting request lost after it reached Telegram and before the answer came: it may have been posted. Never retried blindly. */
  | { readonly ok: false; readonly kind: "uncertain"; readonly description: string };

/** A run of a text, in UTF-16 code units as Telegram counts offsets. */
export interface TextSpan {
  readonly offset: number;
  readonly length: number;
}

/** A post's text as a value: the text Telegram keeps and the spans shown in bold; the poster turns it into Telegram's format. */
export interface PostText {
  readonly text: string;
  readonly bold: readonly TextSpan[];
}

/** Plain text, nothing in bold. */
export const plainPost = (text: string): PostText => ({ text, bold: [] });

/** Inline buttons under a post: rows of label and callback data. */
export type Buttons = readonly (readonly { readonly text: string; readonly data: string }[])[];

/** Posting into channels (the Bot API in infra). */
export interface ChannelPoster {
  sendVideo(chatId: number, video: OutgoingVideo, caption: PostText, buttons?: Buttons): Promise<TelegramOutcome<{ messageId: number; fileId: string | null }>>;
  /** Copies a message (a reviewed draft) into another chat with a new caption: no second upload. */
  copyMessage(fromChatId: number, messageId: number, toChatId: number, caption: PostText): Promise<TelegramOutcome<{ messageId: number }>>;
  /** Replaces a caption; `buttons` replaces the keyboard too (an empty list removes it). */
  editCaption(chatId: number, messageId: number, caption: PostText, buttons?: Buttons): Promise<TelegramOutcome<true>>;
  deleteMessage(chatId: number, messageId: number): Promise<TelegramOutcome<true>>;
  /**
   * Forwards one message (silently) to look at it: what it holds, or null when Telegram says there is no
   * such message ("message to forward not found": never posted, or deleted).
   */
  forwardMessage(fromChatId: number, messageId: number, toChatId: number): Promise<TelegramOutcome<ForwardedPost | null>>;
}

/** What a forwarded message holds, to tell whether it is a post vidlib made. */
export interface ForwardedPost {
  /** The forward's own id in the chat it was forwarded to (to delete it). */
  readonly forwardId: number;
  /** The text of the caption (or of a text message), null when there is none. */
  readonly text: string | null;
  /** The video (or document) it carries, null when none. */
  readonly file: { readonly kind: "video" | "document" | "other"; readonly fileId: string; readonly uniqueId: string; readonly sizeBytes: number | null } | null;
}

/** Spaces out posts: per channel and overall, and after a 429 for exactly as long as Telegram asked. */
export interface Pacer {
  schedule<T>(channelKey: number, work: () => Promise<T>): Promise<T>;
  /** Sends nothing to this channel for this long (a 429's retry_after). */
  holdOff(channelKey: number, ms: number): void;
}

/** Makes the small JPEG Telegram shows before a video loads. */
export interface ThumbnailMaker {
  thumbnail(path: string, durationS: number | null): Promise<Uint8Array | null>;
}

/** What a channel looks like to the bot, for adding it. */
export type ChannelInspection =
  | { readonly ok: true; readonly chatId: number; readonly title: string; readonly username: string | null }
  | { readonly ok: false; readonly problem: string };

/** Looks a channel up and checks that the bot may post in it. */
export interface ChannelDirectory {
  inspect(ref: number | string): Promise<ChannelInspection>;
}

/** How a draft in the review chat was decided; the bot words it on the draft. */
export type DraftStatus =
  | { readonly kind: "approved"; readonly by: string; readonly channel: string }
  | { readonly kind: "rejected"; readonly by: string; readonly reason: string }
  | { readonly kind: "posted"; readonly channel: string; readonly link: string | null };

/**
 * The review chat's side of a draft (the bot's, which draws its buttons and words its status): sending a
 * draft with its Approve and Reject buttons, and showing on it how it was decided (the buttons go).
 */
export interface ReviewDesk {
  sendDraft(chatId: number, video: OutgoingVideo, caption: PostText, draft: { readonly jobId: number; readonly channelTitle: string }): Promise<TelegramOutcome<{ messageId: number; fileId: string | null }>>;
  showDecision(draft: { readonly chatId: number; readonly messageId: number }, status: DraftStatus): Promise<TelegramOutcome<true>>;
}

/** What a person is told in their private chat with the bot about something they queued. */
export type PersonNotice =
  | { readonly kind: "draft-rejected"; readonly fileName: string; readonly by: string; readonly reason: string };

/** Tells a person something in their private chat with the bot; false when they cannot be reached. */
export interface PersonMessenger {
  tell(userId: number, notice: PersonNotice): Promise<boolean>;
}
