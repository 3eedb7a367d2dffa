import { pathToFileURL } from "node:url";
import { GrammyError, HttpError, InputFile, type Api } from "grammy";
import { watchedFile } from "./watched-file.js";
import type { MessageEntity } from "grammy/types";
import type { Buttons, ChannelPoster, ForwardedPost, OutgoingVideo, PostText, TelegramOutcome } from "../../services/publish/ports.js";

const markupOf = (buttons: Buttons): { inline_keyboard: { text: string; callback_data: string }[][] } =>
  ({ inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) });

/**
 * A post's text as Telegram's own caption and entities: nothing to escape, and the text sent is exactly the
 * text Telegram keeps (what the settlement probe reads back). The entities go along even when there are none:
 * they are what keeps the clients' default parse mode (HTML) off this literal text.
 */
export const captionParams = (caption: PostText): { caption: string; caption_entities: MessageEntity[] } =>
  ({ caption: caption.text, caption_entities: caption.bold.map((span) => ({ type: "bold", offset: span.offset, length: span.length })) });

/** Codes of failures before a connection existed: Telegram cannot have seen the request. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN"]);

/** What node-fetch (grammY's fetch on Node) puts on its errors; read by shape, not by class. */
interface FetchFailure { readonly type?: unknown; readonly code?: unknown }

/**
 * For a request that posts something: whether a network failure may have come after Telegram had the
 * whole request. `sentWhole` says whether the body left completely (always true for the tiny JSON
 * bodies of local mode and copies, whose failures after connecting are therefore all uncertain).
 */
export interface PostingRequest {
  readonly sentWhole: () => boolean;
}

/**
 * Turns what grammY threw into an outcome; never lets the token (in HttpError's URL) through.
 * An answer from Telegram (GrammyError, or an error page that is not JSON) and a failure before the whole
 * request reached it (no connection, the upload cut short) can be tried again; for a posting request,
 * any other network failure — the connection lost or the time up while waiting for the answer — is
 * "uncertain": Telegram may have posted it, and only a person who looked at the channel can say.
 */
export function outcomeOf(error: unknown, token: string, posting: PostingRequest | null = null): TelegramOutcome<never> {
  const clean = (text: string): string => (token === "" ? text : text.split(token).join("***"));
  if (error instanceof GrammyError) {
    const description = clean(error.description);
    if (error.error_code === 429) return { ok: false, kind: "rate-limited", retryAfterS: Math.max(1, error.parameters.retry_after ?? 5), description };
    if (error.error_code >= 500) return { ok: false, kind: "transient", description: `Telegram error ${error.error_code}: ${description}` };
    return { ok: false, kind: "refused", code: error.error_code, description };
  }
  if (error instanceof HttpError) {
    const inner = error.error instanceof Error ? error.error : null;
    const failure = (inner ?? {}) as FetchFailure;
    const timedOut = inner?.name === "AbortError" || /timed? ?out/iu.test(inner?.message ?? "");
    // node-fetch says "request to <url> failed, reason: …": the reason is what a person needs, the address is not.
    const reason = inner === null ? null : (/reason: (.*)$/su.exec(inner.message)?.[1] ?? inner.message);
    const detail = reason === null || reason === "" ? "" : ` (${reason})`;
    if (failure.type === "invalid-json") return { ok: false, kind: "transient", description: clean(`Telegram answered with an error page${detail}`) };
    if (typeof failure.code === "string" && NOT_CONNECTED.has(failure.code)) return { ok: false, kind: "transient", description: clean(`the connection to Telegram failed: it could not be reached${detail}`) };
    if (posting !== null && posting.sentWhole()) {
      const what = timedOut ? "no answer came in time after the request reached Telegram" : "the connection was lost while waiting for Telegram's answer";
      return { ok: false, kind: "uncertain", description: clean(`${what}${detail}`) };
    }
    const what = timedOut ? "the request timed out" : "the connection to Telegram failed";
    return { ok: false, kind: "transient", description: clean(`${what}${posting === null ? "" : " before the upload was complete"}${detail}`) };
  }
  throw error;
}

/** Posts into channels through the Bot API; with a Local Bot API server the server reads the file itself. */
export class TelegramChannelPoster implements ChannelPoster {
  constructor(private readonly api: Api, private readonly options: { localMode: boolean; token: string }) {}

  async sendVideo(chatId: number, video: OutgoingVideo, caption: PostText, buttons?: Buttons): Promise<TelegramOutcome<{ messageId: number; fileId: string | null }>> {
    // file:// needs --local on the server; the cloud API gets the bytes.
    const upload = this.options.localMode ? null : watchedFile(video.path);
    const file = upload === null ? pathToFileURL(video.path).href : new InputFile(upload.chunks, video.fileName);
    // Local mode sends a path: once connected, the whole (tiny) request may have arrived.
    const posting: PostingRequest = { sentWhole: upload === null ? () => true : upload.consumed };
    try {
      const message = await this.api.sendVideo(chatId, file, {
        ...captionParams(caption),
        supports_streaming: true,
        ...(video.durationS === null ? {} : { duration: Math.max(1, Math.round(video.durationS)) }),
        ...(video.width === null || video.height === null ? {} : { width: video.width, height: video.height }),
        ...(video.thumbnail === null ? {} : { thumbnail: new InputFile(video.thumbnail, "thumbnail.jpg") }),
        ...(buttons === undefined ? {} : { reply_markup: markupOf(buttons) }),
      });
      return { ok: true, value: { messageId: message.message_id, fileId: message.video.file_id } };
    } catch (error) {
      return outcomeOf(error, this.options.token, posting);
    }
  }

  async copyMessage(fromChatId: number, messageId: number, toChatId: number, caption: PostText): Promise<TelegramOutcome<{ messageId: number }>> {
    try {
      // A copy carries the same file: nothing is uploaded again. The draft's buttons are not copied.
      const copy = await this.api.copyMessage(toChatId, fromChatId, messageId, captionParams(caption));
      return { ok: true, value: { messageId: copy.message_id } };
    } catch (error) {
      // A small JSON request: any failure after connecting may come after the copy was made.
      return outcomeOf(error, this.options.token, { sentWhole: () => true });
    }
  }

  async editCaption(chatId: number, messageId: number, caption: PostText, buttons?: Buttons): Promise<TelegramOutcome<true>> {
    try {
      await this.api.editMessageCaption(chatId, messageId, { ...captionParams(caption), ...(buttons === undefined ? {} : { reply_markup: markupOf(buttons) }) });
      return { ok: true, value: true };
    } catch (error) {
      if (error instanceof GrammyError && error.description.includes("message is not modified")) return { ok: true, value: true };
      return outcomeOf(error, this.options.token);
    }
  }

  async deleteMessage(chatId: number, messageId: number): Promise<TelegramOutcome<true>> {
    try {
      await this.api.deleteMessage(chatId, messageId);
      return { ok: true, value: true };
    } catch (error) {
      return outcomeOf(error, this.options.token);
    }
  }

  async forwardMessage(fromChatId: number, messageId: number, toChatId: number): Promise<TelegramOutcome<ForwardedPost | null>> {
    try {
      // Silent: it is deleted again at once, nobody needs to be woken by it.
      const message = await this.api.forwardMessage(toChatId, fromChatId, messageId, { disable_notification: true });
      const media = message.video ?? message.document ?? message.animation ?? message.audio ?? null;
      const kind = message.video !== undefined ? "video" : message.document !== undefined ? "document" : "other";
      return { ok: true, value: {
        forwardId: message.message_id,
        text: message.caption ?? message.text ?? null,
        file: media === null ? (message.photo === undefined ? null : { kind, fileId: "", uniqueId: message.photo.at(-1)?.file_unique_id ?? "", sizeBytes: null })
          : { kind, fileId: media.file_id, uniqueId: media.file_unique_id, sizeBytes: media.file_size ?? null },
      } };
    } catch (error) {
      // Telegram's words for an id with no message behind it (never used, or deleted).
      if (error instanceof GrammyError && error.error_code === 400 && error.description.includes("message to forward not found")) return { ok: true, value: null };
      return outcomeOf(error, this.options.token);
    }
  }
}
