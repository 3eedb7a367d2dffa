import type { Api } from "grammy";
import type { Logger } from "../../infra/logging/logger.js";
import type { AdminNotice, AdminNotifier } from "../../services/notices/notifier.js";
import { adminNoticeHtml } from "../views/admin-notices.js";

type Recipients = readonly number[] | (() => Promise<readonly number[]>);

/**
 * Notifies the owners and admins in their private chats with the bot, in the bot's words (its views render
 * each typed notice); the list is read at each notice, so role changes count at once.
 */
export class TelegramAdminNotifier implements AdminNotifier {
  constructor(private readonly api: Api, private readonly recipients: Recipients, private readonly logger: Logger) {}

  async notifyAdmins(notice: AdminNotice): Promise<void> {
    const html = adminNoticeHtml(notice);
    const chatIds = typeof this.recipients === "function" ? await this.recipients() : this.recipients;
    for (const chatId of chatIds) {
      try {
        await this.api.sendMessage(chatId, html, { link_preview_options: { is_disabled: true } });
      } catch (err) {
        // Someone who never started the bot cannot be messaged; the others still are.
        this.logger.warn({ chatId, err }, "could not notify an admin");
      }
    }
  }
}
