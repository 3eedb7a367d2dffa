import { In, type DataSource } from "typeorm";
import type { ChannelInfo, ChannelStore } from "../../../services/publish/channels.js";
import { Category } from "../../../entities/category.js";
import { CategoryChannel } from "../../../entities/category-channel.js";
import { Channel } from "../../../entities/channel.js";
import { raisedMessage } from "./db-errors.js";
import { inTransaction } from "./transaction.js";

/** Channels and the category → channel map, through TypeORM; the audience rule is also enforced by triggers. */
export class SqliteChannelStore implements ChannelStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<ChannelInfo[]> {
    return this.withCategories(await this.dataSource.getRepository(Channel).find({ order: { audience: "ASC", title: "ASC" } }));
  }

  async byId(id: number): Promise<ChannelInfo | null> {
    return (await this.withCategories(await this.dataSource.getRepository(Channel).findBy({ id })))[0] ?? null;
  }

  async byChatId(chatId: number): Promise<ChannelInfo | null> {
    return (await this.withCategories(await this.dataSource.getRepository(Channel).findBy({ chatId })))[0] ?? null;
  }

  async insert(channel: { chatId: number; title: string; username: string | null; audience: string }, now: number): Promise<number> {
    const result = await this.dataSource.getRepository(Channel).insert({ ...channel, createdAt: now });
    return Number((result.identifiers[0] as { id: number }).id);
  }

  async refresh(id: number, title: string, username: string | null): Promise<void> {
    await this.dataSource.getRepository(Channel).update({ id }, { title, username });
  }

  async remove(id: number): Promise<boolean> {
    return inTransaction(this.dataSource, async (m) => {
      if (await m.existsBy(CategoryChannel, { channelId: id })) return false;
      await m.delete(Channel, { id });
      return true;
    });
  }

  async map(categoryId: number, channelId: number | null, actorId: string, now: number): Promise<"ok" | "mismatch" | "missing"> {
    if (!(await this.dataSource.getRepository(Category).existsBy({ id: categoryId }))) return "missing";
    try {
      if (channelId === null) await this.dataSource.getRepository(CategoryChannel).delete({ categoryId });
      else {
        await this.dataSource.createQueryBuilder().insert().into(CategoryChannel).values({ categoryId, channelId, actorId, updatedAt: now })
          .orUpdate(["channel_id", "actor_id", "updated_at"], ["category_id"]).updateEntity(false).execute();
      }
      return "ok";
    } catch (error) {
      if (raisedMessage(error, "audience mismatch")) return "mismatch";
      throw error;
    }
  }

  async mappings(): Promise<Map<number, number>> {
    const rows = await this.dataSource.getRepository(CategoryChannel).find({ select: { categoryId: true, channelId: true } });
    return new Map(rows.map((r) => [r.categoryId, r.channelId]));
  }

  /** The channels with the categories mapped to each, by category key. */
  private async withCategories(channels: readonly Channel[]): Promise<ChannelInfo[]> {
    if (channels.length === 0) return [];
    const rows = await this.dataSource.getRepository(CategoryChannel).createQueryBuilder("m").innerJoin(Category, "g", "g.id = m.category_id")
      .select("m.channel_id", "channelId").addSelect("g.id", "id").addSelect("g.name", "name")
      .where({ channelId: In(channels.map((c) => c.id)) }).orderBy("g.key").getRawMany<{ channelId: unknown; id: unknown; name: string }>();
    const byChannel = new Map<number, { id: number; name: string }[]>();
    for (const r of rows) {
      const list = byChannel.get(Number(r.channelId)) ?? [];
      list.push({ id: Number(r.id), name: r.name });
      byChannel.set(Number(r.channelId), list);
    }
    return channels.map((c) => ({ id: c.id, chatId: c.chatId, title: c.title, username: c.username, audience: c.audience, categories: byChannel.get(c.id) ?? [] }));
  }
}
