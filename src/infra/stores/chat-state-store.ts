import type { DataSource } from "typeorm";
import type { ChatStateStore, Prompt, SavedSearch, ShownCard } from "../../services/chat/chat-state.js";

/** Saved searches, prompts and shown cards in SQLite. */
export class SqliteChatStateStore implements ChatStateStore {
  constructor(private readonly dataSource: DataSource) {}

  async saveSearch(chatId: number, query: string, now: number): Promise<number> {
    const [row] = await this.dataSource.query<{ id: number }[]>(`INSERT INTO search_session (chat_id, query, created_at) VALUES (?, ?, ?) RETURNING id`, [chatId, query, now]);
    return row?.id ?? 0;
  }

  async search(id: number): Promise<SavedSearch | null> {
    const [row] = await this.dataSource.query<{ id: number; chat_id: number; query: string }[]>(`SELECT id, chat_id, query FROM search_session WHERE id = ?`, [id]);
    return row === undefined ? null : { id: row.id, chatId: row.chat_id, query: row.query };
  }

  async forgetOlderThan(before: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM search_session WHERE created_at < ?`, [before]);
    await this.dataSource.query(`DELETE FROM video_card WHERE created_at < ?`, [before]);
  }

  async setPrompt(chatId: number, prompt: Prompt, now: number): Promise<void> {
    await this.dataSource.query(`INSERT INTO chat_prompt (chat_id, kind, payload, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (chat_id) DO UPDATE SET kind = excluded.kind, payload = excluded.payload, created_at = excluded.created_at`, [chatId, prompt.kind, JSON.stringify(prompt), now]);
  }

  async prompt(chatId: number): Promise<{ prompt: Prompt; createdAt: number } | null> {
    const [row] = await this.dataSource.query<{ payload: string; created_at: number }[]>(`SELECT payload, created_at FROM chat_prompt WHERE chat_id = ?`, [chatId]);
    return row === undefined ? null : { prompt: JSON.parse(row.payload) as Prompt, createdAt: row.created_at };
  }

  async clearPrompt(chatId: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM chat_prompt WHERE chat_id = ?`, [chatId]);
  }

  async addCard(chatId: number, messageId: number, videoId: number, now: number): Promise<void> {
    await this.dataSource.query(`INSERT OR REPLACE INTO video_card (chat_id, message_id, video_id, created_at) VALUES (?, ?, ?, ?)`, [chatId, messageId, videoId, now]);
  }

  async forgetCard(chatId: number, messageId: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM video_card WHERE chat_id = ? AND message_id = ?`, [chatId, messageId]);
  }

  async markCardsStale(videoIds: readonly number[]): Promise<void> {
    for (const id of videoIds) await this.dataSource.query(`INSERT OR IGNORE INTO card_dirty (video_id) VALUES (?)`, [id]);
  }

  async takeStaleCards(): Promise<Map<number, ShownCard[]>> {
    // One statement takes the list, so no mark written meanwhile is lost. No transaction: the card job runs
    // beside the services' writes, and TypeORM's transactions on the one SQLite connection would nest.
    const taken = (await this.dataSource.query<{ video_id: number }[]>(`DELETE FROM card_dirty RETURNING video_id`)).map((r) => r.video_id);
    const stale = new Map<number, ShownCard[]>();
    for (let i = 0; i < taken.length; i += 500) {
      const batch = taken.slice(i, i + 500);
      const rows = await this.dataSource.query<{ video_id: number; chat_id: number; message_id: number }[]>(
        `SELECT video_id, chat_id, message_id FROM video_card WHERE video_id IN (${batch.map(() => "?").join(", ")}) ORDER BY video_id, chat_id, message_id`, batch);
      for (const r of rows) stale.set(r.video_id, [...(stale.get(r.video_id) ?? []), { chatId: r.chat_id, messageId: r.message_id }]);
    }
    return stale;
  }
}
