/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 statements are synchronous; the methods are async because the service ports are. */
import type { DataSource } from "typeorm";
import type { ChannelInfo, ChannelStore } from "../../services/publish/channels.js";
import { rawDatabase, type RawDatabase } from "./raw-sqlite.js";

interface Row { id: number; chat_id: number; title: string; username: string | null; audience: string; categories: string }

const SELECT = `SELECT c.id, c.chat_id, c.title, c.username, c.audience,
    (SELECT json_group_array(json_array(g.id, g.name)) FROM (SELECT g.id, g.name FROM category_channel m JOIN category g ON g.id = m.category_id WHERE m.channel_id = c.id ORDER BY g.key) g) AS categories
  FROM channel c`;
const toInfo = (r: Row): ChannelInfo => ({
  id: r.id, chatId: r.chat_id, title: r.title, username: r.username, audience: r.audience,
  categories: (JSON.parse(r.categories) as [number, string][]).map(([id, name]) => ({ id, name })),
});

/** Channels and the category → channel map in SQLite; the audience rule is also enforced by triggers. */
export class SqliteChannelStore implements ChannelStore {
  private readonly db: RawDatabase;

  constructor(dataSource: DataSource) {
    this.db = rawDatabase(dataSource);
  }

  async list(): Promise<ChannelInfo[]> {
    return (this.db.prepare(`${SELECT} ORDER BY c.audience, c.title`).all() as Row[]).map(toInfo);
  }

  async byId(id: number): Promise<ChannelInfo | null> {
    const row = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as Row | undefined;
    return row === undefined ? null : toInfo(row);
  }

  async byChatId(chatId: number): Promise<ChannelInfo | null> {
    const row = this.db.prepare(`${SELECT} WHERE c.chat_id = ?`).get(chatId) as Row | undefined;
    return row === undefined ? null : toInfo(row);
  }

  async insert(channel: { chatId: number; title: string; username: string | null; audience: string }, now: number): Promise<number> {
    return this.db.prepare(`INSERT INTO channel (chat_id, title, username, audience, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`).pluck()
      .get(channel.chatId, channel.title, channel.username, channel.audience, now) as number;
  }

  async refresh(id: number, title: string, username: string | null): Promise<void> {
    this.db.prepare(`UPDATE channel SET title = ?, username = ? WHERE id = ?`).run(title, username, id);
  }

  async remove(id: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.db.prepare(`SELECT 1 FROM category_channel WHERE channel_id = ?`).get(id) !== undefined) return false;
      this.db.prepare(`DELETE FROM channel WHERE id = ?`).run(id);
      return true;
    })();
  }

  async map(categoryId: number, channelId: number | null, actorId: string, now: number): Promise<"ok" | "mismatch" | "missing"> {
    if (this.db.prepare(`SELECT 1 FROM category WHERE id = ?`).get(categoryId) === undefined) return "missing";
    try {
      if (channelId === null) this.db.prepare(`DELETE FROM category_channel WHERE category_id = ?`).run(categoryId);
      else {
        this.db.prepare(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (category_id) DO UPDATE SET channel_id = excluded.channel_id, actor_id = excluded.actor_id, updated_at = excluded.updated_at`).run(categoryId, channelId, actorId, now);
      }
      return "ok";
    } catch (error) {
      if (error instanceof Error && error.message.includes("audience mismatch")) return "mismatch";
      throw error;
    }
  }

  async mappings(): Promise<Map<number, number>> {
    const rows = this.db.prepare(`SELECT category_id, channel_id FROM category_channel`).raw(true).all() as [number, number][];
    return new Map(rows);
  }
}
