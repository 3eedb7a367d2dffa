import { In, LessThan, type DataSource } from "typeorm";
import { CardDirty } from "../../../entities/card-dirty.js";
import { ChatPrompt } from "../../../entities/chat-prompt.js";
import { SearchSession } from "../../../entities/search-session.js";
import { VideoCard } from "../../../entities/video-card.js";
import type { ChatStateStore, Prompt, SavedSearch, ShownCard } from "../../../services/chat/chat-state.js";
import { inTransaction } from "./transaction.js";

// SQLite allows 32766 bound values per statement; stay well below.
const BATCH = 500;

/** Saved searches, prompts and shown cards, through TypeORM repositories and the query builder. */
export class SqliteChatStateStore implements ChatStateStore {
  /** Takes the whole stale-card list in one statement (RETURNING is SQL that SQLite and PostgreSQL share). */
  private readonly takeStale: string;

  constructor(private readonly dataSource: DataSource) {
    this.takeStale = `${dataSource.createQueryBuilder().delete().from(CardDirty).getQuery()} RETURNING "video_id"`;
  }

  async saveSearch(chatId: number, query: string, now: number): Promise<number> {
    const inserted = await this.dataSource.getRepository(SearchSession).insert({ chatId, query, createdAt: now });
    return Number((inserted.identifiers[0] as { id?: number } | undefined)?.id ?? 0);
  }

  async search(id: number): Promise<SavedSearch | null> {
    const row = await this.dataSource.getRepository(SearchSession).findOneBy({ id });
    return row === null ? null : { id: row.id, chatId: row.chatId, query: row.query };
  }

  async forgetOlderThan(before: number): Promise<void> {
    await inTransaction(this.dataSource, async (m) => {
      await m.delete(SearchSession, { createdAt: LessThan(before) });
      await m.delete(VideoCard, { createdAt: LessThan(before) });
    });
  }

  async setPrompt(chatId: number, prompt: Prompt, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(ChatPrompt)
      .values({ chatId, kind: prompt.kind, payload: JSON.stringify(prompt), createdAt: now })
      .orUpdate(["kind", "payload", "created_at"], ["chat_id"]).updateEntity(false).execute();
  }

  async prompt(chatId: number): Promise<{ prompt: Prompt; createdAt: number } | null> {
    const row = await this.dataSource.getRepository(ChatPrompt).findOneBy({ chatId });
    return row === null ? null : { prompt: JSON.parse(row.payload) as Prompt, createdAt: row.createdAt };
  }

  async clearPrompt(chatId: number): Promise<void> {
    await this.dataSource.getRepository(ChatPrompt).delete({ chatId });
  }

  async addCard(chatId: number, messageId: number, videoId: number, now: number): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(VideoCard).values({ chatId, messageId, videoId, createdAt: now })
      .orUpdate(["video_id", "created_at"], ["chat_id", "message_id"]).updateEntity(false).execute();
  }

  async forgetCard(chatId: number, messageId: number): Promise<void> {
    await this.dataSource.getRepository(VideoCard).delete({ chatId, messageId });
  }

  async markCardsStale(videoIds: readonly number[]): Promise<void> {
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const batch = videoIds.slice(i, i + BATCH).map((videoId) => ({ videoId }));
      await this.dataSource.createQueryBuilder().insert().into(CardDirty).orIgnore().values(batch).updateEntity(false).execute();
    }
  }

  async takeStaleCards(): Promise<Map<number, ShownCard[]>> {
    // One statement takes the list, so no mark written meanwhile is lost. No transaction: the card job runs
    // beside the services' writes, and TypeORM's transactions on the one SQLite connection would nest.
    // The structured result: a DELETE … RETURNING answers rows on SQLite but [rows, count] on PostgreSQL otherwise.
    const runner = this.dataSource.createQueryRunner();
    let records: { video_id: number | string }[];
    try {
      records = (await runner.query(this.takeStale, [], true) as { records: { video_id: number | string }[] }).records;
    } finally {
      await runner.release();
    }
    const taken = records.map((r) => Number(r.video_id));
    const stale = new Map<number, ShownCard[]>();
    for (let i = 0; i < taken.length; i += BATCH) {
      const rows = await this.dataSource.getRepository(VideoCard).find({
        select: { videoId: true, chatId: true, messageId: true }, where: { videoId: In(taken.slice(i, i + BATCH)) },
        order: { videoId: "ASC", chatId: "ASC", messageId: "ASC" } });
      for (const r of rows) stale.set(r.videoId, [...(stale.get(r.videoId) ?? []), { chatId: r.chatId, messageId: r.messageId }]);
    }
    return stale;
  }
}
