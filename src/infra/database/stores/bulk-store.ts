import { IsNull, type DataSource, type Repository } from "typeorm";
import { BulkAction } from "../../../entities/index.js";
import type { BulkRecord, BulkStore, BulkUndo } from "../../../services/catalog/bulk-edit.js";

/** Bulk actions and what undoing them needs, through a TypeORM repository. */
export class SqliteBulkStore implements BulkStore {
  private readonly actions: Repository<BulkAction>;

  constructor(dataSource: DataSource) {
    this.actions = dataSource.getRepository(BulkAction);
  }

  async save(record: Omit<BulkRecord, "id">): Promise<number> {
    const { identifiers } = await this.actions.insert({
      actorId: record.actorId, kind: record.kind, summary: record.summary, undo: JSON.stringify(record.undo), createdAt: record.createdAt, undoneAt: null,
    });
    return (identifiers[0] as { id?: number } | undefined)?.id ?? 0;
  }

  async lastOf(actorId: string): Promise<BulkRecord | null> {
    const row = await this.actions.findOne({ where: { actorId }, order: { id: "DESC" } });
    // Only the last action can be undone, once.
    if (row === null || row.undoneAt !== null) return null;
    return { id: row.id, actorId: row.actorId, kind: row.kind, summary: row.summary, undo: JSON.parse(row.undo) as BulkUndo, createdAt: row.createdAt };
  }

  async markUndone(id: number, now: number): Promise<boolean> {
    // One conditional UPDATE, so two taps (or two devices) cannot both undo it.
    const result = await this.actions.update({ id, undoneAt: IsNull() }, { undoneAt: now });
    return (result.affected ?? 0) > 0;
  }
}
