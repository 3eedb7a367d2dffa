import type { ChatStateService, ShownCard } from "../chat/chat-state.js";
import type { CatalogService } from "./catalog-service.js";
import type { VideoDetails } from "./catalog-store.js";

/** Edits a shown card; "gone" when Telegram no longer has the message (deleted by the user). */
export interface CardEditor {
  edit(card: ShownCard, video: VideoDetails): Promise<"edited" | "gone">;
}

/** Brings every shown card whose video changed up to date, whoever changed it. */
export class CardRefreshService {
  constructor(private readonly chat: ChatStateService, private readonly catalog: CatalogService, private readonly editor: CardEditor) {}

  /** Edits the stale cards once; returns how many were edited. */
  async refreshStale(): Promise<number> {
    const stale = await this.chat.takeStaleCards();
    let edited = 0;
    const failed: number[] = [];
    let firstError: unknown;
    for (const [videoId, cards] of stale) {
      const video = await this.catalog.video(videoId);
      if (video === null) continue;
      for (const card of cards) {
        try {
          if ((await this.editor.edit(card, video)) === "gone") await this.chat.forgetCard(card.chatId, card.messageId);
          else edited++;
        } catch (error) {
          failed.push(videoId);
          firstError ??= error;
        }
      }
    }
    // Telegram unreachable or rate-limiting: mark them again so the next round retries, then report.
    if (failed.length > 0) {
      await this.chat.markCardsStale(failed);
      throw firstError;
    }
    return edited;
  }
}
