import { GrammyError, type Api } from "grammy";
import type { Logger } from "../../infra/logging/logger.js";
import type { Role } from "../../entities/user.js";
import type { CardEditor } from "../../services/catalog/card-refresh.js";
import type { VideoDetails } from "../../services/catalog/catalog-store.js";
import type { ShownCard } from "../../services/chat/chat-state.js";
import { RetryAfter } from "../../services/jobs/job.js";
import { videoCard } from "../views/video-card.js";

/** Redraws shown video cards through the Bot API, as the bot's card view draws them for each viewer's role. */
export class TelegramCardEditor implements CardEditor {
  constructor(private readonly api: Api, private readonly roleOf: (chatId: number) => Promise<Role | null>,
    private readonly logger: Logger) {}

  async edit(card: ShownCard, video: VideoDetails): Promise<"edited" | "gone"> {
    // Cards live in private chats (chat id = person), drawn with that person's buttons; without access, no more updates.
    const role = await this.roleOf(card.chatId);
    if (role === null) return "gone";
    const view = videoCard(video, { id: card.chatId, role });
    try {
      await this.api.editMessageText(card.chatId, card.messageId, view.text, { reply_markup: view.keyboard, link_preview_options: { is_disabled: true } });
      return "edited";
    } catch (error) {
      if (error instanceof GrammyError && error.description.includes("message is not modified")) return "edited";
      if (error instanceof GrammyError && error.error_code === 429) throw new RetryAfter(Math.max(1, error.parameters.retry_after ?? 5) * 1000, "Telegram asked to slow down");
      if (error instanceof GrammyError && error.error_code === 400) {
        this.logger.info({ videoId: video.id, chatId: card.chatId, description: error.description }, "card can no longer be edited; forgetting it");
        return "gone";
      }
      throw error;
    }
  }
}
