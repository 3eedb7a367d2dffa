import { IsNull, LessThan, type DataSource, type QueryRunner, type Repository } from "typeorm";
import type { Update } from "grammy/types";
import { UpdateJournalEntry } from "../../../entities/update-journal.js";
import type { UpdateJournal } from "../../../bot/update-journal.js";

export class SqliteUpdateJournal implements UpdateJournal {
  private readonly repo: Repository<UpdateJournalEntry>;
  /** Runs the insert whose affected-row count says whether this update is new. */
  private readonly runner: QueryRunner;

  constructor(private readonly dataSource: DataSource, private readonly now: () => number = Date.now) {
    this.repo = dataSource.getRepository(UpdateJournalEntry);
    this.runner = dataSource.createQueryRunner();
  }

  async begin(update: Update): Promise<boolean> {
    const [sql, parameters] = this.dataSource.createQueryBuilder().insert().into(UpdateJournalEntry)
      .values({ updateId: update.update_id, payload: JSON.stringify(update), receivedAt: this.now() })
      .orIgnore().updateEntity(false).getQueryAndParameters();
    const inserted = await this.runner.query(sql, parameters, true) as { affected?: number };
    return inserted.affected === 1;
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
    // An unfinished entry (done_at NULL) is never "less than" anything, so it stays for replay.
    await this.repo.delete({ doneAt: LessThan(this.now() - olderThanMs) });
  }
}
