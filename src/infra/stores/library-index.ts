import type { DataSource, EntityManager } from "typeorm";
import type { VideoStatus } from "../../entities/video.js";
import type { FileFacts, LibraryIndex, RowUpdate } from "../../services/library/ports.js";
import { STATUS_CODES, type IndexSnapshot } from "../../services/library/scan-plan.js";
import { Video } from "../../entities/video.js";
import type { LibraryStatsStore, LibraryTotals, ProblemFile } from "../../services/library/library-stats.js";
import { rawDatabase, type RawDatabase } from "./raw-sqlite.js";

const FACT_COLUMNS = ["path", "root", "relative_path", "file_name", "extension", "size_bytes", "mtime_ms", "fingerprint", "status",
  "status_reason", "duration_s", "width", "height", "video_codec", "audio_codec", "pixel_format", "bit_rate", "frame_rate", "container", "probed_at", "media_kind"] as const;
// SQLite allows 32766 bound values per statement; stay well below.
const INSERT_BATCH = 500;

function factValues(f: FileFacts): unknown[] {
  const m = f.media;
  return [f.path, f.root, f.relativePath, f.fileName, f.extension, f.size, f.mtimeMs, f.fingerprint, f.status, f.statusReason,
    m?.durationS ?? null, m?.width ?? null, m?.height ?? null, m?.videoCodec ?? null, m?.audioCodec ?? null, m?.pixelFormat ?? null,
    m?.bitRate ?? null, m?.frameRate ?? null, m?.container ?? null, f.probedAt, m?.kind ?? "video"];
}

/**
 * Moves the counter the scanner checks its in-memory index against (`library_generation`). Every write to the
 * columns the scanner reads (path, size, time, status, whether probed) calls it in the write's own transaction:
 * this store's `apply`, and the duplicate clean-up that marks a moved file missing and back.
 */
export function bumpLibraryGeneration(db: RawDatabase): void {
  db.prepare(`UPDATE library_generation SET n = n + 1 WHERE id = 1`).run();
}

type RawRow = [id: number, path: string, root: string, size: number, mtimeMs: number, status: VideoStatus, probed: number];

/** The video table as the scanner uses it: one read of every row, one transaction of changes. */
export class SqliteLibraryIndex implements LibraryIndex {
  constructor(private readonly dataSource: DataSource) {}

  generation(): Promise<number> {
    const row = this.db().prepare(`SELECT n FROM library_generation WHERE id = 1`).raw(true).all()[0] as [number] | undefined;
    return Promise.resolve(row?.[0] ?? 0);
  }

  snapshot(): Promise<IndexSnapshot> {
    // The whole index is read on every scan: raw rows into typed columns, no object per row.
    const raw = this.db().prepare(`SELECT id, path, root, size_bytes, mtime_ms, status, duration_s IS NOT NULL FROM video`).raw(true).all() as RawRow[];
    const count = raw.length;
    const roots: string[] = [];
    const rootIds = new Map<string, number>();
    const snapshot = { count, roots, paths: new Array<string>(count), ids: new Float64Array(count), rootOf: new Uint32Array(count),
      sizes: new Float64Array(count), mtimes: new Float64Array(count), statuses: new Uint8Array(count), probed: new Uint8Array(count) };
    for (let i = 0; i < count; i++) {
      const [id, path, root, size, mtimeMs, status, probed] = raw[i] as RawRow;
      let rootId = rootIds.get(root);
      if (rootId === undefined) rootIds.set(root, (rootId = roots.push(root) - 1));
      snapshot.ids[i] = id;
      snapshot.paths[i] = path;
      snapshot.rootOf[i] = rootId;
      snapshot.sizes[i] = size;
      snapshot.mtimes[i] = mtimeMs;
      snapshot.statuses[i] = STATUS_CODES.indexOf(status);
      snapshot.probed[i] = probed;
    }
    return Promise.resolve(snapshot);
  }

  async fingerprints(ids: readonly number[]): Promise<Map<number, string | null>> {
    const found = new Map<number, string | null>();
    for (let i = 0; i < ids.length; i += INSERT_BATCH) {
      const batch = ids.slice(i, i + INSERT_BATCH);
      const rows = await this.dataSource.query<{ id: number; fingerprint: string | null }[]>(
        `SELECT id, fingerprint FROM video WHERE id IN (${batch.map(() => "?").join(", ")})`, batch);
      for (const row of rows) found.set(row.id, row.fingerprint);
    }
    return found;
  }

  idByPath(path: string): Promise<number | null> {
    const id = this.db().prepare(`SELECT id FROM video WHERE path = ?`).pluck().get(path) as number | undefined;
    return Promise.resolve(id ?? null);
  }

  private db(): RawDatabase {
    return rawDatabase(this.dataSource);
  }

  async apply(inserts: readonly FileFacts[], updates: readonly RowUpdate[], now: number): Promise<number[]> {
    return this.dataSource.transaction(async (manager) => {
      const written: number[] = [];
      // A path freed by a move may be taken by a new file in the same scan: apply moves and updates first.
      for (const update of updates) {
        await this.update(manager, update, now);
        written.push(update.id);
      }
      for (let i = 0; i < inserts.length; i += INSERT_BATCH) written.push(...await this.insert(manager, inserts.slice(i, i + INSERT_BATCH), now));
      // In the same transaction: the search index's out-of-date list, and the counter the scanner's cache is checked against.
      for (let i = 0; i < written.length; i += INSERT_BATCH) {
        const batch = written.slice(i, i + INSERT_BATCH);
        await manager.query(`INSERT OR IGNORE INTO search_dirty (video_id) VALUES ${batch.map(() => "(?)").join(", ")}`, batch);
      }
      await manager.query(`UPDATE library_generation SET n = n + 1 WHERE id = 1`);
      return written;
    });
  }

  private async update(manager: EntityManager, update: RowUpdate, now: number): Promise<void> {
    if (update.kind === "status") {
      await manager.query(`UPDATE video SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`, [update.status, update.statusReason, now, update.id]);
      return;
    }
    const set = FACT_COLUMNS.map((c) => `${c} = ?`).join(", ");
    await manager.query(`UPDATE video SET ${set}, updated_at = ? WHERE id = ?`, [...factValues(update.facts), now, update.id]);
  }

  private async insert(manager: EntityManager, batch: readonly FileFacts[], now: number): Promise<number[]> {
    if (batch.length === 0) return [];
    const placeholders = `(${[...FACT_COLUMNS, "created_at", "updated_at"].map(() => "?").join(", ")})`;
    const rows = await manager.query<{ id: number }[]>(
      // Another process (the CLI beside the bot) may have indexed the same new file a moment ago.
      `INSERT INTO video (${FACT_COLUMNS.join(", ")}, created_at, updated_at) VALUES ${batch.map(() => placeholders).join(", ")} ON CONFLICT(path) DO NOTHING RETURNING id`,
      batch.flatMap((f) => [...factValues(f), now, now]));
    return rows.map((r) => r.id);
  }
}

/** Library totals for /status. */
export class SqliteLibraryStats implements LibraryStatsStore {
  constructor(private readonly dataSource: DataSource) {}

  async totals(): Promise<LibraryTotals> {
    const [all] = await this.dataSource.query<{ videos: number; seconds: number | null; bytes: number | null; unreadable: number; missing: number }[]>(
      `SELECT SUM(status = 'indexed') AS videos, SUM(CASE WHEN status = 'indexed' THEN duration_s END) AS seconds,
              SUM(CASE WHEN status != 'missing' THEN size_bytes END) AS bytes,
              SUM(status = 'unreadable') AS unreadable, SUM(status = 'missing') AS missing FROM video`);
    const byCategory = await this.dataSource.query<{ name: string | null; videos: number; seconds: number | null }[]>(
      `SELECT c.name AS name, COUNT(*) AS videos, SUM(v.duration_s) AS seconds FROM video v LEFT JOIN category c ON c.id = v.category_id
       WHERE v.status = 'indexed' GROUP BY v.category_id ORDER BY c.name IS NULL, c.key`);
    const byRoot = await this.dataSource.getRepository(Video).createQueryBuilder("v")
      .select("v.root", "root").addSelect("COUNT(*)", "present").where("v.status != :missing", { missing: "missing" }).groupBy("v.root")
      .getRawMany<{ root: string; present: number | string }>();
    return {
      videos: all?.videos ?? 0, seconds: all?.seconds ?? 0, bytes: all?.bytes ?? 0, unreadable: all?.unreadable ?? 0, missing: all?.missing ?? 0,
      byCategory: byCategory.map((c) => ({ name: c.name, videos: c.videos, seconds: c.seconds ?? 0 })),
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
