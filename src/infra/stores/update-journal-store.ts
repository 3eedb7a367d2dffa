import { IsNull, type DataSource, type Repository } from "typeorm";
import type { Update } from "grammy/types";
import { UpdateJournalEntry } from "../../entities/update-journal.js";
import type { UpdateJournal } from "../../bot/update-journal.js";

export class SqliteUpdateJournal implements UpdateJournal {
  private readonly repo: Repository<UpdateJournalEntry>;

  constructor(private readonly dataSource: DataSource, private readonly now: () => number = Date.now) {
    this.repo = dataSource.getRepository(UpdateJournalEntry);
  }

  async begin(update: Update): Promise<boolean> {
    const result = await this.dataSource.query<unknown[]>(
      `INSERT INTO update_journal (update_id, payload, received_at) VALUES (?, ?, ?) ON CONFLICT(update_id) DO NOTHING RETURNING update_id`,
      [update.update_id, JSON.stringify(update), this.now()]);
    return result.length === 1;
  }

  async finish(updateId: number): Promise<void> {
    await this.repo.update({ updateId }, { doneAt: this.now() });
  }

  async takePending(): Promise<Update[]> {
    const rows = await this.repo.find({ where: { doneAt: IsNull() }, order: { updateId: "ASC" } });
    if (rows.length > 0) await this.repo.delete(rows.map((r) => r.updateId));
    return rows.map((r) => JSON.parse(r.payload) as Update);
  }

  async prune(olderThanMs: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM update_journal WHERE done_at IS NOT NULL AND done_at < ?`, [this.now() - olderThanMs]);
  }
}
