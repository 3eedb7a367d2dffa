import type { Api, Transformer } from "grammy";
import type { Logger } from "../logging/logger.js";
import { CALLBACK_ANSWER_LIMIT, CAPTION_LIMIT, MESSAGE_LIMIT, shortenPlain, telegramLength, trimToLimit } from "./limits.js";

const TEXT_METHODS = new Set(["sendMessage", "editMessageText"]);
const CAPTION_METHODS = new Set(["sendPhoto", "sendVideo", "sendDocument", "sendAnimation", "sendAudio", "sendVoice", "copyMessage", "editMessageCaption"]);
const NOT_MODIFIED = "message is not modified";

type Params = Record<string, unknown>;
/** Telegram's answer to a call, as the transformer chain passes it on. */
type Sent = { ok: true; result: unknown } | { ok: false; description: string; error_code: number };

/**
 * The one path every text vidlib sends or edits takes, installed on each Bot API client of the process
 * (the bot's, the poster's, the notifier's), sharing what it remembers:
 * - a text or caption over Telegram's limit is cut on line boundaries (HTML kept well-formed) and a
 *   warning logged, so a list that grew too long still arrives instead of failing the whole reply; a
 *   button's answer over 200 characters (a name in it was long) is cut with "…", so the press is still answered;
 * - an edit that would show exactly what the message already shows (the same HTML and buttons the bot
 *   last sent there) is not made; Telegram would refuse it with "message is not modified". If that
 *   answer still comes (the message was sent before a restart), it counts as success;
 * - edits of one message are sent one after another (a button's redraw and the card job's may come at
 *   once), so that the second is compared with what the first left, not with what was there before both.
 */
export class TelegramMessageGuard {
  private readonly shown = new Map<string, string>();
  /** The last edit sent to each message, while it is in flight. */
  private readonly editing = new Map<string, Promise<unknown>>();

  constructor(private readonly logger: Logger, private readonly capacity = 5000) {}

  /** Puts the guard on a client; returns it for chaining. */
  install(api: Api): Api {
    api.config.use(this.transformer);
    return api;
  }

  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const params = payload as unknown as Params;
    const fitted = this.fit(method, params);
    const key = messageKey(fitted);
    if (method === "editMessageText" && key !== null) {
      const before = this.editing.get(key);
      const send = (): Promise<Sent> => prev(method, fitted as unknown as typeof payload, signal);
      const turn: Promise<Sent> = (before ?? Promise.resolve()).then(() => this.edit(key, fitted, send));
      const settled = turn.catch(() => undefined);
      this.editing.set(key, settled);
      void settled.then(() => { if (this.editing.get(key) === settled) this.editing.delete(key); });
      return turn as never;
    }
    const response = await prev(method, fitted as unknown as typeof payload, signal);
    if (response.ok) this.learn(method, fitted, key, response.result);
    return response;
  };

  /** One edit, once the edits of the same message sent before it have ended. */
  private async edit(key: string, fitted: Params, send: () => Promise<Sent>): Promise<Sent> {
    // A skipped edit answers as Telegram answers an edit: ok, true.
    const done = { ok: true as const, result: true };
    if (this.shown.get(key) === signature(fitted)) {
      this.logger.debug({ chatId: fitted.chat_id, messageId: fitted.message_id }, "edit skipped: the message already shows this");
      return done;
    }
    const response = await send();
    if (!response.ok) {
      if (response.description.includes(NOT_MODIFIED)) {
        this.logger.debug({ chatId: fitted.chat_id, messageId: fitted.message_id }, "Telegram said the message is not modified; it already shows this");
        this.remember(key, signature(fitted));
        return done;
      }
      return response;
    }
    this.learn("editMessageText", fitted, key, response.result);
    return response;
  }

  /** The payload with its text or caption cut to Telegram's limit when it is over. */
  private fit(method: string, params: Params): Params {
    if (method === "answerCallbackQuery") return this.fitAnswer(params);
    const field = TEXT_METHODS.has(method) ? "text" : CAPTION_METHODS.has(method) ? "caption" : null;
    if (field === null) return params;
    const value = params[field];
    if (typeof value !== "string") return params;
    const limit = field === "text" ? MESSAGE_LIMIT : CAPTION_LIMIT;
    const html = params.parse_mode === "HTML";
    const length = html ? telegramLength(value) : value.length;
    if (length <= limit) return params;
    const trimmed = trimToLimit(value, limit, html ? "HTML" : "plain");
    this.logger.warn({ method, chatId: params.chat_id, messageId: params.message_id, length, limit }, `a ${field} over Telegram's limit was shortened; the view that built it should summarise`);
    return { ...params, [field]: trimmed };
  }

  /** A button's answer is plain text, never parsed: cut at a whole character. */
  private fitAnswer(params: Params): Params {
    const text = params.text;
    if (typeof text !== "string" || text.length <= CALLBACK_ANSWER_LIMIT) return params;
    this.logger.warn({ method: "answerCallbackQuery", length: text.length, limit: CALLBACK_ANSWER_LIMIT }, "a button's answer over Telegram's limit was shortened");
    return { ...params, text: shortenPlain(text, CALLBACK_ANSWER_LIMIT) };
  }

  private learn(method: string, params: Params, key: string | null, result: unknown): void {
    if (method === "sendMessage") {
      const messageId = (result as { message_id?: unknown } | null)?.message_id;
      const key = messageKey({ chat_id: params.chat_id, message_id: messageId });
      if (key !== null) this.remember(key, signature(params));
    } else if (method === "editMessageText" && key !== null) {
      this.remember(key, signature(params));
    } else if (key !== null) {
      // Its caption, buttons or media changed, or it is gone: what it shows is no longer known.
      this.shown.delete(key);
    }
  }

  private remember(key: string, value: string): void {
    this.shown.delete(key);
    this.shown.set(key, value);
    if (this.shown.size > this.capacity) {
      const oldest = this.shown.keys().next().value;
      if (oldest !== undefined) this.shown.delete(oldest);
    }
  }
}

function messageKey(params: Params): string | null {
  const chatId = params.chat_id;
  const messageId = params.message_id;
  return (typeof chatId === "number" || typeof chatId === "string") && typeof messageId === "number" ? `${String(chatId)}:${messageId}` : null;
}

/** What a text message shows: its text as sent, how it is parsed, and its buttons (none when absent or empty). */
function signature(params: Params): string {
  const markup = params.reply_markup as { inline_keyboard?: unknown[][] } | undefined;
  const rows = (markup?.inline_keyboard ?? []).filter((row) => row.length > 0);
  return JSON.stringify([params.text, params.parse_mode ?? null, rows]);
}
