import { GrammyError, type Api, type InlineKeyboard } from "grammy";
import type { Logger } from "../logger.js";
import type { CardEditor } from "../../services/catalog/card-refresh.js";
import type { VideoDetails } from "../../services/catalog/catalog-store.js";
import type { ShownCard } from "../../services/chat/chat-state.js";

export type CardRenderer = (video: VideoDetails) => { text: string; keyboard: InlineKeyboard };

/** Edits card messages through the Bot API; the rendering comes from the bot's views. */
export class TelegramCardEditor implements CardEditor {
  constructor(private readonly api: Api, private readonly render: CardRenderer, private readonly logger: Logger) {}

  async edit(card: ShownCard, video: VideoDetails): Promise<"edited" | "gone"> {
    const view = this.render(video);
    try {
      await this.api.editMessageText(card.chatId, card.messageId, view.text, { parse_mode: "HTML", reply_markup: view.keyboard, link_preview_options: { is_disabled: true } });
      return "edited";
    } catch (error) {
      if (error instanceof GrammyError && error.description.includes("message is not modified")) return "edited";
      if (error instanceof GrammyError && error.error_code === 400) {
        this.logger.info({ videoId: video.id, chatId: card.chatId, description: error.description }, "card can no longer be edited; forgetting it");
        return "gone";
      }
      throw error;
    }
  }
}
