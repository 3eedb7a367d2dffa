import type { ChatStateService, ShownCard } from "../chat/chat-state.js";
import type { JobHandler } from "../jobs/job.js";
import type { CatalogService } from "./catalog-service.js";
import type { VideoDetails } from "./catalog-store.js";

/** Edits a shown card; "gone" when Telegram no longer has the message (deleted by the user). */
export interface CardEditor {
  edit(card: ShownCard, video: VideoDetails): Promise<"edited" | "gone">;
}

/** Brings every shown card on the cards' out-of-date list up to date (the services that change a video list it). */
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
    // Telegram unreachable or rate-limiting: mark them again, then throw so that the job runs again (a
    // RetryAfter from the editor waits as long as Telegram asked, without using an attempt).
    if (failed.length > 0) {
      await this.chat.markCardsStale(failed);
      throw firstError;
    }
    return edited;
  }
}

/** The card.refresh job: one pass over the cards' out-of-date list. */
export function refreshCardsJob(cards: CardRefreshService, logger: { debug(fields: object, message: string): void }): JobHandler<null> {
  return async () => {
    const edited = await cards.refreshStale();
    if (edited > 0) logger.debug({ edited }, "video cards refreshed");
  };
}
