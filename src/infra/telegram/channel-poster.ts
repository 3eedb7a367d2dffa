import { pathToFileURL } from "node:url";
import { GrammyError, HttpError, InputFile, type Api } from "grammy";
import type { Buttons, ChannelPoster, OutgoingVideo, TelegramOutcome } from "../../services/publish/ports.js";

const markupOf = (buttons: Buttons): { inline_keyboard: { text: string; callback_data: string }[][] } =>
  ({ inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) });

/** Turns what grammY threw into an outcome; never lets the token (in HttpError's URL) through. */
export function outcomeOf(error: unknown, token: string): TelegramOutcome<never> {
  const clean = (text: string): string => (token === "" ? text : text.split(token).join("***"));
  if (error instanceof GrammyError) {
    const description = clean(error.description);
    if (error.error_code === 429) return { ok: false, kind: "rate-limited", retryAfterS: Math.max(1, error.parameters.retry_after ?? 5), description };
    if (error.error_code >= 500) return { ok: false, kind: "transient", description: `Telegram error ${error.error_code}: ${description}` };
    return { ok: false, kind: "refused", code: error.error_code, description };
  }
  if (error instanceof HttpError) {
    const inner = error.error instanceof Error ? error.error : null;
    const what = inner?.name === "AbortError" || /timed? ?out/iu.test(inner?.message ?? "") ? "the request timed out" : "the connection to Telegram failed";
    return { ok: false, kind: "transient", description: clean(`${what}${inner?.message === undefined ? "" : ` (${inner.message})`}`) };
  }
  throw error;
}

/** Posts into channels through the Bot API; with a Local Bot API server the server reads the file itself. */
export class TelegramChannelPoster implements ChannelPoster {
  constructor(private readonly api: Api, private readonly options: { localMode: boolean; token: string }) {}

  async sendVideo(chatId: number, video: OutgoingVideo, captionHtml: string, buttons?: Buttons): Promise<TelegramOutcome<{ messageId: number; fileId: string | null }>> {
    // file:// needs --local on the server; the cloud API gets the bytes.
    const file = this.options.localMode ? pathToFileURL(video.path).href : new InputFile(video.path, video.fileName);
    try {
      const message = await this.api.sendVideo(chatId, file, {
        caption: captionHtml,
        parse_mode: "HTML",
        supports_streaming: true,
        ...(video.durationS === null ? {} : { duration: Math.max(1, Math.round(video.durationS)) }),
        ...(video.width === null || video.height === null ? {} : { width: video.width, height: video.height }),
        ...(video.thumbnail === null ? {} : { thumbnail: new InputFile(video.thumbnail, "thumbnail.jpg") }),
        ...(buttons === undefined ? {} : { reply_markup: markupOf(buttons) }),
      });
      return { ok: true, value: { messageId: message.message_id, fileId: message.video.file_id } };
    } catch (error) {
      return outcomeOf(error, this.options.token);
    }
  }

  async copyMessage(fromChatId: number, messageId: number, toChatId: number, captionHtml: string): Promise<TelegramOutcome<{ messageId: number }>> {
    try {
      // A copy carries the same file: nothing is uploaded again. The draft's buttons are not copied.
      const copy = await this.api.copyMessage(toChatId, fromChatId, messageId, { caption: captionHtml, parse_mode: "HTML" });
      return { ok: true, value: { messageId: copy.message_id } };
    } catch (error) {
      return outcomeOf(error, this.options.token);
    }
  }

  async editCaption(chatId: number, messageId: number, captionHtml: string, buttons?: Buttons): Promise<TelegramOutcome<true>> {
    try {
      await this.api.editMessageCaption(chatId, messageId, { caption: captionHtml, parse_mode: "HTML", ...(buttons === undefined ? {} : { reply_markup: markupOf(buttons) }) });
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
}
