import type { DataSource } from "typeorm";
import { rawDatabase } from "./raw-sqlite.js";
import type { BulkRecord, BulkStore, BulkUndo } from "../../services/catalog/bulk-edit.js";

interface Row { id: number; actor_id: string; kind: BulkRecord["kind"]; summary: string; undo: string; created_at: number; undone_at: number | null }

/** Bulk actions and what undoing them needs, in SQLite. */
export class SqliteBulkStore implements BulkStore {
  constructor(private readonly dataSource: DataSource) {}

  async save(record: Omit<BulkRecord, "id">): Promise<number> {
    const [row] = await this.dataSource.query<{ id: number }[]>(
      `INSERT INTO bulk_action (actor_id, kind, summary, undo, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      [record.actorId, record.kind, record.summary, JSON.stringify(record.undo), record.createdAt]);
    return row?.id ?? 0;
  }

  async lastOf(actorId: string): Promise<BulkRecord | null> {
    const [row] = await this.dataSource.query<Row[]>(
      `SELECT id, actor_id, kind, summary, undo, created_at, undone_at FROM bulk_action WHERE actor_id = ? ORDER BY id DESC LIMIT 1`, [actorId]);
    // Only the last action can be undone, once.
    if (row === undefined || row.undone_at !== null) return null;
    return { id: row.id, actorId: row.actor_id, kind: row.kind, summary: row.summary, undo: JSON.parse(row.undo) as BulkUndo, createdAt: row.created_at };
  }

  markUndone(id: number, now: number): Promise<boolean> {
    const result = rawDatabase(this.dataSource).prepare(`UPDATE bulk_action SET undone_at = ? WHERE id = ? AND undone_at IS NULL`).run(now, id);
    return Promise.resolve(result.changes > 0);
  }
}
