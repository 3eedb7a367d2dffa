import { GrammyError, type Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Logger } from "../logging/logger.js";

/**
 * A message edited in place as work progresses: at most one edit per interval, never an edit that
 * changes nothing (Telegram answers those with an error), and the final text always lands.
 */
export class LiveMessage {
  private latest: string | undefined;
  private shown: string | undefined;
  private lastEditAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private editing: Promise<void> = Promise.resolve();
  private messageId: number | undefined;
  private done = false;
  private markup: InlineKeyboardMarkup | undefined;

  constructor(private readonly api: Api, private readonly chatId: number, private readonly logger: Logger,
    private readonly intervalMs = 3000, private readonly now: () => number = Date.now) {}

  /** Starts editing the message once it exists; the first text is what it was sent with. */
  attach(messageId: number, sentText: string): void {
    this.messageId = messageId;
    this.shown = sentText;
    this.lastEditAt = this.now();
    if (this.latest !== undefined) this.plan();
  }

  update(text: string): void {
    if (this.done) return;
    this.latest = text;
    if (this.messageId !== undefined && this.timer === undefined) this.plan();
  }

  /** Shows the final text now, after any edit in flight, with buttons when given. */
  async finish(text: string, markup?: InlineKeyboardMarkup): Promise<void> {
    this.done = true;
    this.markup = markup;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = text;
    await this.editing;
    await this.flush();
  }

  private plan(): void {
    const wait = Math.max(0, this.lastEditAt + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.editing = this.flush();
    }, wait);
  }

  private async flush(): Promise<void> {
    const text = this.latest;
    if (this.messageId === undefined || text === undefined || (text === this.shown && this.markup === undefined)) return;
    this.lastEditAt = this.now();
    try {
      await this.api.editMessageText(this.chatId, this.messageId, text, this.markup === undefined ? {} : { reply_markup: this.markup });
      this.shown = text;
    } catch (err) {
      if (err instanceof GrammyError && err.description.includes("message is not modified")) return;
      this.logger.warn({ chatId: this.chatId, messageId: this.messageId, err }, "could not update a progress message");
    }
  }
}
