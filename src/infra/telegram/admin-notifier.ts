import type { Api } from "grammy";
import type { Logger } from "../logger.js";
import type { AdminNotice, AdminNotifier } from "../../services/notifier.js";

type Recipients = readonly number[] | (() => Promise<readonly number[]>);

/** Turns a notice into Telegram HTML; the bot's views supply it, so the wording stays out of this adapter. */
export type AdminNoticeRenderer = (notice: AdminNotice) => string;

/** Notifies the owners and admins in their private chats with the bot; the list is read at each notice, so role changes count at once. */
export class TelegramAdminNotifier implements AdminNotifier {
  constructor(private readonly api: Api, private readonly recipients: Recipients, private readonly render: AdminNoticeRenderer, private readonly logger: Logger) {}

  async notifyAdmins(notice: AdminNotice): Promise<void> {
    const html = this.render(notice);
    const chatIds = typeof this.recipients === "function" ? await this.recipients() : this.recipients;
    for (const chatId of chatIds) {
      try {
        await this.api.sendMessage(chatId, html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
      } catch (err) {
        // Someone who never started the bot cannot be messaged; the others still are.
        this.logger.warn({ chatId, err }, "could not notify an admin");
      }
    }
  }
}
