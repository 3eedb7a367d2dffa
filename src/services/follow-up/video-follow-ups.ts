import { enqueueCoalesced } from "../jobs/coalesce.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { CARD_REFRESH, CARD_REFRESH_KEY, SEARCH_REFRESH, SEARCH_REFRESH_KEY } from "./kinds.js";

/** The two out-of-date lists the follow-up jobs drain. */
export interface FollowUpStore {
  /** Puts videos on the search index's out-of-date list. */
  markSearch(videoIds: readonly number[]): Promise<void>;
  /** Puts those of the videos that have a card shown in some chat on the cards' out-of-date list; returns how many. */
  markCards(videoIds: readonly number[]): Promise<number>;
  /** Whether each list has videos waiting. */
  pending(): Promise<{ readonly search: boolean; readonly cards: boolean }>;
}

/** What a service that changes videos, their tags or their categories tells the follow-ups. */
export interface VideoChanges {
  /**
   * Videos whose name, folder, status, tags or category changed: their search documents and their shown
   * cards are brought up to date. `searchMarked`: the writer already put them on the search list in its
   * own transaction (a scan), so only the job is enqueued.
   */
  videosChanged(videoIds: readonly number[], options?: { readonly searchMarked?: boolean }): Promise<void>;
  /** Only what a card shows changed (a conversion's state or progress): the shown cards are redrawn. */
  cardsChanged(videoIds: readonly number[]): Promise<void>;
  /** Videos that were given a category (besides videosChanged): the auto-publish check is enqueued. */
  categorySet(videoIds: readonly number[]): Promise<void>;
}

/** For tools and tests of one service alone, where nothing follows a change. */
export const NO_FOLLOW_UPS: VideoChanges = { videosChanged: () => Promise.resolve(), cardsChanged: () => Promise.resolve(), categorySet: () => Promise.resolve() };

/**
 * The follow-up work of a change, enqueued by the service that made it (no trigger notes it): the videos go
 * on an out-of-date list, and one job per list drains it (keyed, so a burst of changes makes one job).
 * Only videos with a card shown are listed for cards: a scan of a library nobody is looking at enqueues
 * no card work at all.
 */
export class VideoFollowUps implements VideoChanges {
  /** `onCategorySet`: the upload queue's auto-publish check (src/services/publish/upload-kinds.ts). */
  constructor(private readonly store: FollowUpStore, private readonly jobs: JobQueue,
    private readonly onCategorySet: (videoIds: readonly number[]) => Promise<void> = () => Promise.resolve()) {}

  categorySet(videoIds: readonly number[]): Promise<void> {
    return videoIds.length === 0 ? Promise.resolve() : this.onCategorySet([...new Set(videoIds)]);
  }

  async videosChanged(videoIds: readonly number[], options: { readonly searchMarked?: boolean } = {}): Promise<void> {
    if (videoIds.length === 0) return;
    const ids = [...new Set(videoIds)];
    if (options.searchMarked !== true) await this.store.markSearch(ids);
    await enqueueCoalesced(this.jobs, SEARCH_REFRESH, null, SEARCH_REFRESH_KEY);
    await this.cardsChanged(ids);
  }

  async cardsChanged(videoIds: readonly number[]): Promise<void> {
    if (videoIds.length === 0) return;
    if ((await this.store.markCards([...new Set(videoIds)])) > 0) await enqueueCoalesced(this.jobs, CARD_REFRESH, null, CARD_REFRESH_KEY);
  }

  /**
   * Enqueues the jobs of lists that have videos waiting: at start-up (a stop between a mark and its job).
   */
  async resume(): Promise<void> {
    const pending = await this.store.pending();
    if (pending.search) await enqueueCoalesced(this.jobs, SEARCH_REFRESH, null, SEARCH_REFRESH_KEY);
    if (pending.cards) await enqueueCoalesced(this.jobs, CARD_REFRESH, null, CARD_REFRESH_KEY);
  }
}
