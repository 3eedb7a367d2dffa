import { In, type DataSource, type EntityManager } from "typeorm";
import type { VideoStatus } from "../../../entities/video.js";
import type { FileFacts, LibraryIndex, RowUpdate } from "../../../services/library/ports.js";
import { STATUS_CODES, type IndexSnapshot } from "../../../services/library/scan-plan.js";
import { Video } from "../../../entities/video.js";
import { LibraryGeneration } from "../../../entities/library-generation.js";
import { SearchDirty } from "../../../entities/search-dirty.js";
import { Category } from "../../../entities/category.js";
import { count } from "./db-errors.js";
import type { LibraryStatsStore, LibraryTotals, ProblemFile } from "../../../services/library/library-stats.js";
import { inTransaction } from "./transaction.js";

// SQLite allows 32766 bound values per statement and a row binds 24: stay well below.
const INSERT_BATCH = 500;
const ID_BATCH = 500;

function factColumns(f: FileFacts): Partial<Video> {
  const m = f.media;
  return {
    path: f.path, root: f.root, folder: f.folder, relativePath: f.relativePath, fileName: f.fileName, extension: f.extension, sizeBytes: f.size, mtimeMs: f.mtimeMs,
    fingerprint: f.fingerprint, status: f.status, statusReason: f.statusReason, durationS: m?.durationS ?? null, width: m?.width ?? null,
    height: m?.height ?? null, videoCodec: m?.videoCodec ?? null, audioCodec: m?.audioCodec ?? null, pixelFormat: m?.pixelFormat ?? null,
    bitRate: m?.bitRate ?? null, frameRate: m?.frameRate ?? null, container: m?.container ?? null, probedAt: f.probedAt, mediaKind: m?.kind ?? "video",
  };
}

interface SnapshotRow { id: number; path: string; root: string; size: number; mtime: number; status: VideoStatus; probed: number }

/**
 * Moves the counter the scanner checks its in-memory index against (`library_generation`). Every write to the
 * columns the scanner reads (path, size, time, status, whether probed) calls it in the write's own transaction:
 * this store's `apply`, and the duplicate clean-up that marks a moved file missing and back.
 */
export async function bumpLibraryGeneration(manager: EntityManager): Promise<void> {
  await manager.createQueryBuilder().update(LibraryGeneration).set({ n: () => `"n" + 1` }).where("id = 1").execute();
}

/** The video table as the scanner uses it: one read of every row, one transaction of changes. */
export class SqliteLibraryIndex implements LibraryIndex {
  constructor(private readonly dataSource: DataSource) {}

  async generation(): Promise<number> {
    const row = await this.dataSource.getRepository(LibraryGeneration).findOne({ select: { n: true }, where: { id: 1 } });
    return row?.n ?? 0;
  }

  async snapshot(): Promise<IndexSnapshot> {
    // The whole index is read on every scan: only the columns the diff needs, into typed arrays.
    const raw = await this.dataSource.getRepository(Video).createQueryBuilder("v")
      .select("v.id", "id").addSelect("v.path", "path").addSelect("v.root", "root").addSelect("v.size_bytes", "size").addSelect("v.mtime_ms", "mtime")
      .addSelect("v.status", "status").addSelect("CASE WHEN v.duration_s IS NULL THEN 0 ELSE 1 END", "probed")
      .getRawMany<SnapshotRow>();
    const count = raw.length;
    const roots: string[] = [];
    const rootIds = new Map<string, number>();
    const snapshot = { count, roots, paths: new Array<string>(count), ids: new Float64Array(count), rootOf: new Uint32Array(count),
      sizes: new Float64Array(count), mtimes: new Float64Array(count), statuses: new Uint8Array(count), probed: new Uint8Array(count) };
    for (let i = 0; i < count; i++) {
      const row = raw[i] as SnapshotRow;
      let rootId = rootIds.get(row.root);
      if (rootId === undefined) rootIds.set(row.root, (rootId = roots.push(row.root) - 1));
      // PostgreSQL returns 64-bit integers as strings; Number() is exact below 2^53.
      snapshot.ids[i] = Number(row.id);
      snapshot.paths[i] = row.path;
      snapshot.rootOf[i] = rootId;
      snapshot.sizes[i] = Number(row.size);
      snapshot.mtimes[i] = Number(row.mtime);
      snapshot.statuses[i] = STATUS_CODES.indexOf(row.status);
      snapshot.probed[i] = Number(row.probed);
    }
    return snapshot;
  }

  async fingerprints(ids: readonly number[]): Promise<Map<number, string | null>> {
    const found = new Map<number, string | null>();
    const repo = this.dataSource.getRepository(Video);
    for (let i = 0; i < ids.length; i += ID_BATCH) {
      const rows = await repo.find({ select: { id: true, fingerprint: true }, where: { id: In(ids.slice(i, i + ID_BATCH)) } });
      for (const row of rows) found.set(row.id, row.fingerprint);
    }
    return found;
  }

  async idByPath(path: string): Promise<number | null> {
    const row = await this.dataSource.getRepository(Video).findOne({ select: { id: true }, where: { path } });
    return row?.id ?? null;
  }

  async apply(inserts: readonly FileFacts[], updates: readonly RowUpdate[], now: number): Promise<number[]> {
    if (inserts.length === 0 && updates.length === 0) return [];
    return inTransaction(this.dataSource, async (manager) => {
      const written: number[] = [];
      // A path freed by a move may be taken by a new file in the same scan: apply moves and updates first.
      for (const update of updates) {
        await this.update(manager, update, now);
        written.push(update.id);
      }
      for (let i = 0; i < inserts.length; i += INSERT_BATCH) written.push(...await this.insert(manager, inserts.slice(i, i + INSERT_BATCH), now));
      // In the same transaction: the search index's out-of-date list, and the counter the scanner's cache is checked against.
      for (let i = 0; i < written.length; i += INSERT_BATCH) {
        await manager.createQueryBuilder().insert().into(SearchDirty).values(written.slice(i, i + INSERT_BATCH).map((videoId) => ({ videoId })))
          .orIgnore().updateEntity(false).execute();
      }
      await bumpLibraryGeneration(manager);
      return written;
    });
  }

  private async update(manager: EntityManager, update: RowUpdate, now: number): Promise<void> {
    const set: Partial<Video> = update.kind === "status" ? { status: update.status, statusReason: update.statusReason } : factColumns(update.facts);
    await manager.createQueryBuilder().update(Video).set({ ...set, updatedAt: now }).where("id = :id", { id: update.id }).updateEntity(false).execute();
  }

  private async insert(manager: EntityManager, batch: readonly FileFacts[], now: number): Promise<number[]> {
    if (batch.length === 0) return [];
    // Another process (the CLI beside the bot) may have indexed the same new file a moment ago: the path is unique, and the row is left as it is.
    await manager.createQueryBuilder().insert().into(Video).values(batch.map((f) => ({ ...factColumns(f), createdAt: now, updatedAt: now })))
      .orIgnore().updateEntity(false).execute();
    // Their ids (a row the other process wrote is listed too: its search document is brought up to date all the same).
    const rows = await manager.createQueryBuilder().select("v.id", "id").from(Video, "v").where("v.path IN (:...paths)", { paths: batch.map((f) => f.path) })
      .getRawMany<{ id: unknown }>();
    return rows.map((r) => Number(r.id));
  }
}

/** Library totals for /status. */
export class SqliteLibraryStats implements LibraryStatsStore {
  constructor(private readonly dataSource: DataSource) {}

  async totals(): Promise<LibraryTotals> {
    const videos = this.dataSource.getRepository(Video);
    const all = await videos.createQueryBuilder("v")
      .select("SUM(CASE WHEN v.status = 'indexed' THEN 1 ELSE 0 END)", "videos").addSelect("SUM(CASE WHEN v.status = 'indexed' THEN v.duration_s END)", "seconds")
      .addSelect("SUM(CASE WHEN v.status != 'missing' THEN v.size_bytes END)", "bytes")
      .addSelect("SUM(CASE WHEN v.status = 'unreadable' THEN 1 ELSE 0 END)", "unreadable").addSelect("SUM(CASE WHEN v.status = 'missing' THEN 1 ELSE 0 END)", "missing")
      .getRawOne<{ videos: unknown; seconds: unknown; bytes: unknown; unreadable: unknown; missing: unknown }>();
    const byCategory = await videos.createQueryBuilder("v").leftJoin(Category, "c", "c.id = v.category_id")
      .select("c.name", "name").addSelect("COUNT(*)", "videos").addSelect("SUM(v.duration_s)", "seconds")
      .where("v.status = :indexed", { indexed: "indexed" }).groupBy("v.category_id").addGroupBy("c.name").addGroupBy("c.key")
      .orderBy("CASE WHEN c.name IS NULL THEN 1 ELSE 0 END").addOrderBy("c.key").getRawMany<{ name: string | null; videos: unknown; seconds: unknown }>();
    const byRoot = await videos.createQueryBuilder("v")
      .select("v.root", "root").addSelect("COUNT(*)", "present").where("v.status != :missing", { missing: "missing" }).groupBy("v.root")
      .getRawMany<{ root: string; present: number | string }>();
    return {
      videos: count(all?.videos), seconds: count(all?.seconds), bytes: count(all?.bytes), unreadable: count(all?.unreadable), missing: count(all?.missing),
      byCategory: byCategory.map((c) => ({ name: c.name, videos: count(c.videos), seconds: count(c.seconds) })),
      presentByRoot: new Map(byRoot.map((r) => [r.root, Number(r.present)])),
    };
  }

  async problems(offset: number, limit: number): Promise<ProblemFile[]> {
    // "unreadable" sorts after "missing": descending puts the unreadable files first.
    const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v")
      .select(["v.path", "v.status", "v.statusReason", "v.updatedAt"]).where("v.status IN (:...problems)", { problems: ["unreadable", "missing"] })
      .orderBy("v.status", "DESC").addOrderBy("v.path", "ASC").offset(offset).limit(limit).getMany();
    return rows.map((v) => ({ path: v.path, status: v.status === "missing" ? "missing" : "unreadable", reason: v.statusReason, since: v.updatedAt }));
  }
}
