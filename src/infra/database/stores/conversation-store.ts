import type { DataSource, Repository } from "typeorm";
import { ConversationState } from "../../../entities/conversation-state.js";

/** Key-value storage of JSON values in SQLite, shaped like grammY's storage adapters. */
export class SqliteKeyValueStore<T> {
  private readonly repo: Repository<ConversationState>;

  constructor(dataSource: DataSource, private readonly now: () => number = Date.now) {
    this.repo = dataSource.getRepository(ConversationState);
  }

  async read(key: string): Promise<T | undefined> {
    const row = await this.repo.findOneBy({ key });
    return row === null ? undefined : (JSON.parse(row.value) as T);
  }

  async write(key: string, value: T): Promise<void> {
    await this.repo.upsert({ key, value: JSON.stringify(value), updatedAt: this.now() }, ["key"]);
  }

  async delete(key: string): Promise<void> {
    await this.repo.delete({ key });
  }
}
