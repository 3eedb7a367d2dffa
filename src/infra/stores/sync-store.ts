import type { DataSource } from "typeorm";
import { actorId, actorRefOf, type ActorRef } from "../../services/actor.js";
import type { SyncFolder, SyncItem, SyncRun, SyncRunState, SyncStore, TrashedSyncFile } from "../../services/sync/ports.js";
import type { SyncFile } from "../../services/sync/sync-plan.js";
import { sep } from "node:path";
import { rawDatabase } from "./raw-sqlite.js";

interface FolderRow { id: number; source_path: string; target_path: string; last_run_id: number | null }
interface RunRow {
  id: number; folder_id: number; state: SyncRunState; removals: "none" | "apply"; actor_kind: "user" | "system"; actor_id: string;
  chat_id: number | null; message_id: number | null;
  copied: number; removed: number; failed: number; created_at: number; finished_at: number | null; error: string | null;
}
interface ItemRow { id: number; action: "copy" | "remove"; rel_path: string; size_bytes: number; mtime_ms: number; state: SyncItem["state"]; error: string | null }

const folderOf = (r: FolderRow): SyncFolder => ({ id: r.id, sourcePath: r.source_path, targetPath: r.target_path, lastRunId: r.last_run_id });
const runOf = (r: RunRow): SyncRun => ({
  id: r.id, folderId: r.folder_id, state: r.state, removals: r.removals, actor: actorRefOf(r.actor_kind, r.actor_id),
  chatId: r.chat_id, messageId: r.message_id,
  copied: r.copied, removed: r.removed, failed: r.failed, createdAt: r.created_at, finishedAt: r.finished_at, error: r.error,
});
const isConstraint = (err: unknown): boolean => String((err as { code?: string }).code ?? "").startsWith("SQLITE_CONSTRAINT");

interface TrashedRow { item_id: number; run_id: number; folder_id: number; target_path: string; rel_path: string; size_bytes: number; mtime_ms: number; moved_at: number }
const trashedOf = (r: TrashedRow): TrashedSyncFile => ({
  itemId: r.item_id, runId: r.run_id, folderId: r.folder_id, targetPath: r.target_path, relPath: r.rel_path, size: r.size_bytes, mtimeMs: r.mtime_ms, movedAt: r.moved_at,
});
// A removal done by a finished run whose trash folder is still there, and not put back.
const TRASHED = `SELECT i.id AS item_id, r.id AS run_id, r.folder_id, f.target_path, i.rel_path, i.size_bytes, i.mtime_ms, r.finished_at AS moved_at
  FROM sync_item i JOIN sync_run r ON r.id = i.run_id JOIN sync_folder f ON f.id = r.folder_id
  WHERE i.action = 'remove' AND i.state = 'done' AND i.restored_at IS NULL AND r.finished_at IS NOT NULL AND r.trash_purged_at IS NULL`;

const RUN_COLUMNS = `id, folder_id, state, removals, actor_kind, actor_id, chat_id, message_id, copied, removed, failed, created_at, finished_at, error`;

// better-sqlite3 is synchronous; the port is async so other stores could be used.
/* eslint-disable @typescript-eslint/require-await */
/** Sync folders, runs and their items in SQLite. */
export class SqliteSyncStore implements SyncStore {
  constructor(private readonly dataSource: DataSource) {}

  private get db() {
    return rawDatabase(this.dataSource);
  }

  async folders(): Promise<SyncFolder[]> {
    return (this.db.prepare(`SELECT id, source_path, target_path, last_run_id FROM sync_folder ORDER BY id`).all() as FolderRow[]).map(folderOf);
  }

  async folder(id: number): Promise<SyncFolder | null> {
    const row = this.db.prepare(`SELECT id, source_path, target_path, last_run_id FROM sync_folder WHERE id = ?`).get(id) as FolderRow | undefined;
    return row === undefined ? null : folderOf(row);
  }

  async addFolder(sourcePath: string, targetPath: string, actorId: string, now: number): Promise<SyncFolder> {
    const id = this.db.prepare(`INSERT INTO sync_folder (source_path, target_path, actor_id, created_at) VALUES (?, ?, ?, ?) RETURNING id`).pluck().get(sourcePath, targetPath, actorId, now) as number;
    return { id, sourcePath, targetPath, lastRunId: null };
  }

  async removeFolder(id: number): Promise<boolean> {
    return this.db.prepare(`DELETE FROM sync_folder WHERE id = ?`).run(id).changes > 0;
  }

  async startRun(folderId: number, actor: ActorRef, now: number): Promise<SyncRun | null> {
    const begin = this.db.transaction(() => {
      // A newer sync makes an unanswered preview of the same folder out of date.
      this.db.prepare(`UPDATE sync_run SET state = 'cancelled', finished_at = ? WHERE folder_id = ? AND state = 'preview'`).run(now, folderId);
      const id = this.db.prepare(`INSERT INTO sync_run (folder_id, state, actor_kind, actor_id, heartbeat_at, created_at) VALUES (?, 'planning', ?, ?, ?, ?) RETURNING id`)
        .pluck().get(folderId, actor.kind, actorId(actor), now, now) as number;
      this.db.prepare(`UPDATE sync_folder SET last_run_id = ? WHERE id = ?`).run(id, folderId);
      return id;
    });
    try {
      return this.run(begin());
    } catch (err) {
      if (isConstraint(err)) return null;
      throw err;
    }
  }

  async run(id: number): Promise<SyncRun | null> {
    const row = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM sync_run WHERE id = ?`).get(id) as RunRow | undefined;
    return row === undefined ? null : runOf(row);
  }

  async activeRuns(folderId?: number): Promise<SyncRun[]> {
    return (this.db.prepare(`SELECT ${RUN_COLUMNS} FROM sync_run WHERE state IN ('planning', 'copying') AND (? IS NULL OR folder_id = ?) ORDER BY id`)
      .all(folderId ?? null, folderId ?? null) as RunRow[]).map(runOf);
  }

  async setMessage(runId: number, chatId: number, messageId: number): Promise<void> {
    this.db.prepare(`UPDATE sync_run SET chat_id = ?, message_id = ? WHERE id = ?`).run(chatId, messageId, runId);
  }

  async savePlan(runId: number, copies: readonly SyncFile[], removals: readonly SyncFile[], state: "preview" | "copying", guard: string | null = null): Promise<void> {
    const insert = this.db.prepare(`INSERT INTO sync_item (run_id, action, rel_path, size_bytes, mtime_ms) VALUES (?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM sync_item WHERE run_id = ?`).run(runId);
      for (const f of copies) insert.run(runId, "copy", f.relPath, f.size, f.mtimeMs);
      for (const f of removals) insert.run(runId, "remove", f.relPath, f.size, f.mtimeMs);
      const bytes = copies.reduce((sum, f) => sum + f.size, 0);
      this.db.prepare(`UPDATE sync_run SET state = ?, removals = CASE WHEN ? > 0 AND ? = 'copying' THEN 'apply' ELSE 'none' END, files_total = ?, bytes_total = ?, error = ? WHERE id = ?`)
        .run(state, removals.length, state, copies.length, bytes, guard, runId);
    })();
  }

  async confirm(runId: number, removals: "none" | "apply"): Promise<boolean> {
    try {
      return this.db.transaction(() => {
        const changed = this.db.prepare(`UPDATE sync_run SET state = 'copying', removals = ? WHERE id = ? AND state = 'preview'`).run(removals, runId).changes > 0;
        if (changed && removals === "none") this.db.prepare(`UPDATE sync_item SET state = 'skipped', error = 'kept: only copying was chosen' WHERE run_id = ? AND action = 'remove'`).run(runId);
        return changed;
      })();
    } catch (err) {
      if (isConstraint(err)) return false; // another sync of the folder is running
      throw err;
    }
  }

  async items(runId: number): Promise<SyncItem[]> {
    const rows = this.db.prepare(`SELECT id, action, rel_path, size_bytes, mtime_ms, state, error FROM sync_item WHERE run_id = ? ORDER BY id`).all(runId) as ItemRow[];
    return rows.map((r) => ({ id: r.id, action: r.action, relPath: r.rel_path, size: r.size_bytes, mtimeMs: r.mtime_ms, state: r.state, error: r.error }));
  }

  async finishItem(itemId: number, state: "done" | "failed" | "skipped", error: string | null): Promise<void> {
    this.db.prepare(`UPDATE sync_item SET state = ?, error = ? WHERE id = ?`).run(state, error, itemId);
  }

  async heartbeat(runId: number, p: { filesDone: number; bytesDone: number; filesTotal: number; bytesTotal: number }, now: number): Promise<void> {
    this.db.prepare(`UPDATE sync_run SET heartbeat_at = ?, files_done = ?, bytes_done = ?, files_total = ?, bytes_total = ? WHERE id = ?`)
      .run(now, p.filesDone, p.bytesDone, p.filesTotal, p.bytesTotal, runId);
  }

  async finish(runId: number, state: "done" | "failed" | "cancelled", counts: { copied: number; removed: number; failed: number }, error: string | null, now: number): Promise<void> {
    this.db.prepare(`UPDATE sync_run SET state = ?, copied = ?, removed = ?, failed = ?, error = ?, finished_at = ? WHERE id = ?`)
      .run(state, counts.copied, counts.removed, counts.failed, error, now, runId);
  }

  async expiredTrash(before: number): Promise<number[]> {
    return this.db.prepare(`SELECT id FROM sync_run WHERE removed > 0 AND trash_purged_at IS NULL AND finished_at < ? ORDER BY id`).pluck().all(before) as number[];
  }

  async markTrashPurged(runId: number, now: number): Promise<void> {
    this.db.prepare(`UPDATE sync_run SET trash_purged_at = ? WHERE id = ?`).run(now, runId);
  }

  async trashed(limit: number): Promise<TrashedSyncFile[]> {
    return (this.db.prepare(`${TRASHED} ORDER BY r.finished_at DESC, i.id DESC LIMIT ?`).all(limit) as TrashedRow[]).map(trashedOf);
  }

  async trashedItem(itemId: number): Promise<TrashedSyncFile | null> {
    const row = this.db.prepare(`${TRASHED} AND i.id = ?`).get(itemId) as TrashedRow | undefined;
    return row === undefined ? null : trashedOf(row);
  }

  async markRestored(itemId: number, now: number): Promise<boolean> {
    return this.db.prepare(`UPDATE sync_item SET restored_at = ? WHERE id = ? AND restored_at IS NULL`).run(now, itemId).changes > 0;
  }
}

/** Paths, relative to `target` and "/"-separated, of the library's converted files under it (vidlib made them; a sync keeps them). */
export function vidlibMadeUnder(dataSource: DataSource, target: string): Promise<Set<string>> {
  const prefix = target.endsWith(sep) ? target : target + sep;
  const rows = rawDatabase(dataSource).prepare(`SELECT path FROM video WHERE derived_from_id IS NOT NULL AND substr(path, 1, ?) = ?`).pluck().all(prefix.length, prefix) as string[];
  return Promise.resolve(new Set(rows.map((p) => p.slice(prefix.length).split(sep).join("/"))));
}
