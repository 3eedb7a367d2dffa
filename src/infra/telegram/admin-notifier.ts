import type { Api } from "grammy";
import type { Logger } from "../logger.js";
import type { AdminNotifier } from "../../services/notifier.js";

/** Notifies the owners in their private chats with the bot. */
export class TelegramAdminNotifier implements AdminNotifier {
  constructor(private readonly api: Api, private readonly adminIds: readonly number[], private readonly logger: Logger) {}

  async notifyAdmins(html: string): Promise<void> {
    for (const chatId of this.adminIds) {
      try {
        await this.api.sendMessage(chatId, html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
      } catch (err) {
        // An owner who never started the bot cannot be messaged; the others still are.
        this.logger.warn({ chatId, err }, "could not notify an admin");
      }
    }
  }
}
