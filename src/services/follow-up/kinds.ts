import { jobKind } from "../jobs/job.js";

/**
 * Indexes the videos on the search index's out-of-date list (`search_dirty`). One job stands for the whole
 * list, so a scan of 100,000 new files is one job, not 100,000. Searches also bring the index up to date
 * before they read it, so this job keeps it warm rather than being what makes it right.
 */
export const SEARCH_REFRESH = jobKind<null>({ name: "search.refresh", maxAttempts: 5, backoffMs: [2_000, 10_000, 60_000], leaseMs: 10 * 60_000 });

/**
 * Redraws the cards shown in chats of the videos on the cards' out-of-date list (`card_dirty`). Telegram
 * being away is retried with backoff; a 429 waits as long as Telegram asks, without using an attempt.
 */
export const CARD_REFRESH = jobKind<null>({ name: "card.refresh", maxAttempts: 10, backoffMs: [2_000, 5_000, 15_000, 60_000], leaseMs: 2 * 60_000 });

/** The coalescing keys: one queued job of each kind at a time. */
export const SEARCH_REFRESH_KEY = "index";
export const CARD_REFRESH_KEY = "cards";
