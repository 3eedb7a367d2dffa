import type { Clock } from "../shared/clock.js";

/**
 * What the next message typed in a chat is for: a question's kind and the state it carries, saved as
 * JSON. Each bot feature owns its kinds and checks the state it reads back.
 */
export interface Prompt {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export interface SavedSearch {
  readonly id: number;
  readonly chatId: number;
  readonly query: string;
}

export interface ShownCard {
  readonly chatId: number;
  readonly messageId: number;
}

/** Per-chat state that outlives a restart: saved searches, the pending prompt, the video cards shown. */
export interface ChatStateStore {
  saveSearch(chatId: number, query: string, now: number): Promise<number>;
  search(id: number): Promise<SavedSearch | null>;
  /** Drops searches and cards older than `before`. */
  forgetOlderThan(before: number): Promise<void>;
  setPrompt(chatId: number, prompt: Prompt, now: number): Promise<void>;
  prompt(chatId: number): Promise<{ prompt: Prompt; createdAt: number } | null>;
  clearPrompt(chatId: number): Promise<void>;
  addCard(chatId: number, messageId: number, videoId: number, now: number): Promise<void>;
  forgetCard(chatId: number, messageId: number): Promise<void>;
  /** Videos whose shown cards are out of date, with those cards; their marks are cleared. */
  takeStaleCards(): Promise<Map<number, ShownCard[]>>;
  markCardsStale(videoIds: readonly number[]): Promise<void>;
}

/** A prompt not answered within this time is forgotten, so an old "send tags" does not swallow a search. */
const PROMPT_TTL_MS = 30 * 60_000;
/** Saved searches and shown cards are kept this long; older buttons answer "this menu expired". */
const KEEP_MS = 14 * 24 * 3600_000;
const CLEANUP_EVERY_MS = 3600_000;

/** Saved searches, pending prompts and shown cards. */
export class ChatStateService {
  private cleanedAt = 0;

  constructor(private readonly store: ChatStateStore, private readonly clock: Clock) {}

  /** Saves a query so buttons can refer to it by id; old searches and cards are dropped now and then. */
  async saveSearch(chatId: number, query: string): Promise<number> {
    const now = this.clock.now();
    if (now - this.cleanedAt > CLEANUP_EVERY_MS) {
      this.cleanedAt = now;
      await this.store.forgetOlderThan(now - KEEP_MS);
    }
    return this.store.saveSearch(chatId, query, now);
  }

  /** A saved search, only in the chat that saved it. */
  async search(id: number, chatId: number): Promise<SavedSearch | null> {
    const found = await this.store.search(id);
    return found?.chatId === chatId ? found : null;
  }

  setPrompt(chatId: number, prompt: Prompt): Promise<void> {
    return this.store.setPrompt(chatId, prompt, this.clock.now());
  }

  /** The chat's pending prompt, unless it has expired. */
  async prompt(chatId: number): Promise<Prompt | null> {
    const found = await this.store.prompt(chatId);
    if (found === null) return null;
    if (this.clock.now() - found.createdAt > PROMPT_TTL_MS) {
      await this.store.clearPrompt(chatId);
      return null;
    }
    return found.prompt;
  }

  clearPrompt(chatId: number): Promise<void> {
    return this.store.clearPrompt(chatId);
  }

  /** Remembers a card so that it is edited when its video changes. */
  addCard(chatId: number, messageId: number, videoId: number): Promise<void> {
    return this.store.addCard(chatId, messageId, videoId, this.clock.now());
  }

  forgetCard(chatId: number, messageId: number): Promise<void> {
    return this.store.forgetCard(chatId, messageId);
  }

  takeStaleCards(): Promise<Map<number, ShownCard[]>> {
    return this.store.takeStaleCards();
  }

  /** Marks cards stale again, for when an edit failed and must be retried. */
  markCardsStale(videoIds: readonly number[]): Promise<void> {
    return this.store.markCardsStale(videoIds);
  }
}
