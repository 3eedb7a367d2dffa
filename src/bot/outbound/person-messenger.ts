import { GrammyError, type Api } from "grammy";
import type { Logger } from "../../infra/logging/logger.js";
import type { PersonMessenger, PersonNotice } from "../../services/publish/ports.js";
import { personNoticeHtml } from "../views/review.js";

/** Tells one person something in their private chat with the bot, in the bot's words. */
export class TelegramPersonMessenger implements PersonMessenger {
  constructor(private readonly api: Api, private readonly logger: Logger) {}

  async tell(userId: number, notice: PersonNotice): Promise<boolean> {
    try {
      await this.api.sendMessage(userId, personNoticeHtml(notice), { link_preview_options: { is_disabled: true } });
      return true;
    } catch (error) {
      // They never started the bot, or blocked it: the decision stands and is in the audit trail.
      if (!(error instanceof GrammyError)) throw error;
      this.logger.info({ userId, description: error.description }, "could not message a person");
      return false;
    }
  }
}
