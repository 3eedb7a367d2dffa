import { In, IsNull, type DataSource, type EntityManager } from "typeorm";
import { actorId, actorRefOf, type ActorRef } from "../../../services/people/actor.js";
import type { SyncFolder, SyncItem, SyncRun, SyncStore, TrashedSyncFile } from "../../../services/sync/ports.js";
import type { SyncFile } from "../../../services/sync/sync-plan.js";
import { sep } from "node:path";
import { SyncFolder as FolderRow } from "../../../entities/sync-folder.js";
import { SyncItem as ItemRow } from "../../../entities/sync-item.js";
import { SyncRun as RunRow } from "../../../entities/sync-run.js";
import { Video } from "../../../entities/video.js";
import { isConstraintViolation } from "./db-errors.js";
import { inTransaction } from "./transaction.js";

const folderOf = (r: FolderRow): SyncFolder => ({ id: r.id, sourcePath: r.sourcePath, targetPath: r.targetPath, lastRunId: r.lastRunId });
const runOf = (r: RunRow): SyncRun => ({
  id: r.id, folderId: r.folderId, state: r.state, removals: r.removals, actor: actorRefOf(r.actorKind, r.actorId),
  chatId: r.chatId, messageId: r.messageId,
  copied: r.copied, removed: r.removed, failed: r.failed, createdAt: r.createdAt, finishedAt: r.finishedAt, error: r.error,
});
const RUN_FIELDS = { id: true, folderId: true, state: true, removals: true, actorKind: true, actorId: true, chatId: true, messageId: true, copied: true,
  removed: true, failed: true, createdAt: true, finishedAt: true, error: true } as const;
const FOLDER_FIELDS = { id: true, sourcePath: true, targetPath: true, lastRunId: true } as const;
const ITEM_BATCH = 400;

interface TrashedRow { itemId: unknown; runId: unknown; folderId: unknown; targetPath: string; relPath: string; size: unknown; mtimeMs: unknown; movedAt: unknown }
const trashedOf = (r: TrashedRow): TrashedSyncFile => ({
  itemId: Number(r.itemId), runId: Number(r.runId), folderId: Number(r.folderId), targetPath: r.targetPath, relPath: r.relPath, size: Number(r.size),
  mtimeMs: Number(r.mtimeMs), movedAt: Number(r.movedAt),
});

/** A removal done by a finished run whose trash folder is still there, and not put back. */
function trashed(manager: EntityManager) {
  return manager.createQueryBuilder(ItemRow, "i").innerJoin(RunRow, "r", "r.id = i.run_id").innerJoin(FolderRow, "f", "f.id = r.folder_id")
    .select("i.id", "itemId").addSelect("r.id", "runId").addSelect("r.folder_id", "folderId").addSelect("f.target_path", "targetPath")
    .addSelect("i.rel_path", "relPath").addSelect("i.size_bytes", "size").addSelect("i.mtime_ms", "mtimeMs").addSelect("r.finished_at", "movedAt")
    .where("i.action = 'remove' AND i.state = 'done' AND i.restored_at IS NULL AND r.finished_at IS NOT NULL AND r.trash_purged_at IS NULL");
}

/** Sync folders, runs and their items, through TypeORM. */
export class SqliteSyncStore implements SyncStore {
  constructor(private readonly dataSource: DataSource) {}

  private get runs() {
    return this.dataSource.getRepository(RunRow);
  }

  async folders(): Promise<SyncFolder[]> {
    return (await this.dataSource.getRepository(FolderRow).find({ select: FOLDER_FIELDS, order: { id: "ASC" } })).map(folderOf);
  }

  async folder(id: number): Promise<SyncFolder | null> {
    const row = await this.dataSource.getRepository(FolderRow).findOne({ select: FOLDER_FIELDS, where: { id } });
    return row === null ? null : folderOf(row);
  }

  async addFolder(sourcePath: string, targetPath: string, actorId: string, now: number): Promise<SyncFolder> {
    const result = await this.dataSource.getRepository(FolderRow).insert({ sourcePath, targetPath, actorId, createdAt: now });
    return { id: Number((result.identifiers[0] as { id: number }).id), sourcePath, targetPath, lastRunId: null };
  }

  async removeFolder(id: number): Promise<boolean> {
    return ((await this.dataSource.getRepository(FolderRow).delete({ id })).affected ?? 0) > 0;
  }

  async startRun(folderId: number, actor: ActorRef, now: number): Promise<SyncRun | null> {
    let id: number;
    try {
      id = await inTransaction(this.dataSource, async (m) => {
        // The insert goes first: when another sync of the folder is active it fails before anything else changed.
        const result = await m.insert(RunRow, { folderId, state: "planning", actorKind: actor.kind, actorId: actorId(actor), heartbeatAt: now, createdAt: now });
        const runId = Number((result.identifiers[0] as { id: number }).id);
        // A newer sync makes an unanswered preview of the same folder out of date.
        await m.createQueryBuilder().update(RunRow).set({ state: "cancelled", finishedAt: now })
          .where("folder_id = :folderId AND state = 'preview'", { folderId }).updateEntity(false).execute();
        await m.update(FolderRow, { id: folderId }, { lastRunId: runId });
        return runId;
      });
    } catch (err) {
      if (isConstraintViolation(err)) return null;
      throw err;
    }
    return this.run(id);
  }

  async run(id: number): Promise<SyncRun | null> {
    const row = await this.runs.findOne({ select: RUN_FIELDS, where: { id } });
    return row === null ? null : runOf(row);
  }

  async activeRuns(folderId?: number): Promise<SyncRun[]> {
    const rows = await this.runs.find({ select: RUN_FIELDS, where: { state: In(["planning", "copying"]), ...(folderId === undefined ? {} : { folderId }) }, order: { id: "ASC" } });
    return rows.map(runOf);
  }

  async setMessage(runId: number, chatId: number, messageId: number): Promise<void> {
    await this.runs.update({ id: runId }, { chatId, messageId });
  }

  async savePlan(runId: number, copies: readonly SyncFile[], removals: readonly SyncFile[], state: "preview" | "copying", guard: string | null = null): Promise<void> {
    const items = [...copies.map((f) => ({ f, action: "copy" as const })), ...removals.map((f) => ({ f, action: "remove" as const }))]
      .map(({ f, action }) => ({ runId, action, relPath: f.relPath, sizeBytes: f.size, mtimeMs: f.mtimeMs, state: "pending" as const }));
    const bytes = copies.reduce((sum, f) => sum + f.size, 0);
    await inTransaction(this.dataSource, async (m) => {
      await m.delete(ItemRow, { runId });
      for (let i = 0; i < items.length; i += ITEM_BATCH) {
        await m.createQueryBuilder().insert().into(ItemRow).values(items.slice(i, i + ITEM_BATCH)).updateEntity(false).execute();
      }
      await m.update(RunRow, { id: runId }, { state, removals: removals.length > 0 && state === "copying" ? "apply" : "none", filesTotal: copies.length,
        bytesTotal: bytes, error: guard });
    });
  }

  async confirm(runId: number, removals: "none" | "apply"): Promise<boolean> {
    try {
      return await inTransaction(this.dataSource, async (m) => {
        const changed = ((await m.update(RunRow, { id: runId, state: "preview" }, { state: "copying", removals })).affected ?? 0) > 0;
        if (changed && removals === "none") await m.update(ItemRow, { runId, action: "remove" }, { state: "skipped", error: "kept: only copying was chosen" });
        return changed;
      });
    } catch (err) {
      if (isConstraintViolation(err)) return false; // another sync of the folder is running
      throw err;
    }
  }

  async items(runId: number): Promise<SyncItem[]> {
    const rows = await this.dataSource.getRepository(ItemRow).find({ select: { id: true, action: true, relPath: true, sizeBytes: true, mtimeMs: true, state: true, error: true },
      where: { runId }, order: { id: "ASC" } });
    return rows.map((r) => ({ id: r.id, action: r.action, relPath: r.relPath, size: r.sizeBytes, mtimeMs: r.mtimeMs, state: r.state, error: r.error }));
  }

  async finishItem(itemId: number, state: "done" | "failed" | "skipped", error: string | null): Promise<void> {
    await this.dataSource.getRepository(ItemRow).update({ id: itemId }, { state, error });
  }

  async heartbeat(runId: number, p: { filesDone: number; bytesDone: number; filesTotal: number; bytesTotal: number }, now: number): Promise<void> {
    await this.runs.update({ id: runId }, { heartbeatAt: now, filesDone: p.filesDone, bytesDone: p.bytesDone, filesTotal: p.filesTotal, bytesTotal: p.bytesTotal });
  }

  async finish(runId: number, state: "done" | "failed" | "cancelled", counts: { copied: number; removed: number; failed: number }, error: string | null, now: number): Promise<void> {
    await this.runs.update({ id: runId }, { state, copied: counts.copied, removed: counts.removed, failed: counts.failed, error, finishedAt: now });
  }

  async expiredTrash(before: number): Promise<number[]> {
    const rows = await this.runs.createQueryBuilder("r").select("r.id")
      .where("r.removed > 0 AND r.trash_purged_at IS NULL AND r.finished_at < :before", { before }).orderBy("r.id").getMany();
    return rows.map((r) => r.id);
  }

  async markTrashPurged(runId: number, now: number): Promise<void> {
    await this.runs.update({ id: runId }, { trashPurgedAt: now });
  }

  async trashed(limit: number): Promise<TrashedSyncFile[]> {
    return (await trashed(this.dataSource.manager).orderBy("r.finished_at", "DESC").addOrderBy("i.id", "DESC").limit(limit).getRawMany<TrashedRow>()).map(trashedOf);
  }

  async trashedItem(itemId: number): Promise<TrashedSyncFile | null> {
    const row = await trashed(this.dataSource.manager).andWhere("i.id = :itemId", { itemId }).getRawOne<TrashedRow>();
    return row === undefined ? null : trashedOf(row);
  }

  async markRestored(itemId: number, now: number): Promise<boolean> {
    return ((await this.dataSource.getRepository(ItemRow).update({ id: itemId, restoredAt: IsNull() }, { restoredAt: now })).affected ?? 0) > 0;
  }
}

/** Paths, relative to `target` and "/"-separated, of the library's converted files under it (vidlib made them; a sync keeps them). */
export async function vidlibMadeUnder(dataSource: DataSource, target: string): Promise<Set<string>> {
  const prefix = target.endsWith(sep) ? target : target + sep;
  // SUBSTR rather than LIKE: a path may hold % and _.
  const rows = await dataSource.getRepository(Video).createQueryBuilder("v").select("v.path", "path")
    .where("v.derived_from_id IS NOT NULL AND SUBSTR(v.path, 1, :length) = :prefix", { length: prefix.length, prefix }).getRawMany<{ path: string }>();
  return new Set(rows.map((r) => r.path.slice(prefix.length).split(sep).join("/")));
}
