import type { DataSource, EntityManager } from "typeorm";
import type { VideoStatus } from "../../entities/video.js";
import type { FileFacts, LibraryIndex, RowUpdate } from "../../services/library/ports.js";
import type { IndexRow } from "../../services/library/scan-plan.js";
import type { LibraryStatsStore, LibraryTotals } from "../../services/library/library-stats.js";

const FACT_COLUMNS = ["path", "root", "relative_path", "file_name", "extension", "size_bytes", "mtime_ms", "fingerprint", "status",
  "status_reason", "duration_s", "width", "height", "video_codec", "audio_codec", "pixel_format", "bit_rate", "frame_rate", "container", "probed_at"] as const;
// SQLite allows 32766 bound values per statement; stay well below.
const INSERT_BATCH = 500;

function factValues(f: FileFacts): unknown[] {
  const m = f.media;
  return [f.path, f.root, f.relativePath, f.fileName, f.extension, f.size, f.mtimeMs, f.fingerprint, f.status, f.statusReason,
    m?.durationS ?? null, m?.width ?? null, m?.height ?? null, m?.videoCodec ?? null, m?.audioCodec ?? null, m?.pixelFormat ?? null,
    m?.bitRate ?? null, m?.frameRate ?? null, m?.container ?? null, f.probedAt];
}

type RawRow = [id: number, path: string, root: string, fileName: string, size: number, mtimeMs: number, status: VideoStatus, fingerprint: string | null, probed: number];
interface RawDatabase { prepare(sql: string): { raw(on: boolean): { all(): unknown[] } } }

/** The video table as the scanner uses it: one read of every row, one transaction of changes. */
export class SqliteLibraryIndex implements LibraryIndex {
  constructor(private readonly dataSource: DataSource) {}

  rows(): Promise<IndexRow[]> {
    // The whole index is read on every scan: better-sqlite3's raw rows skip TypeORM's per-row mapping.
    const db = (this.dataSource.driver as unknown as { databaseConnection: RawDatabase }).databaseConnection;
    const raw = db.prepare(`SELECT id, path, root, file_name, size_bytes, mtime_ms, status, fingerprint, duration_s IS NOT NULL FROM video`).raw(true).all() as RawRow[];
    return Promise.resolve(raw.map((r) => ({ id: r[0], path: r[1], root: r[2], fileName: r[3], size: r[4], mtimeMs: r[5], status: r[6], fingerprint: r[7], probed: r[8] === 1 })));
  }

  async apply(inserts: readonly FileFacts[], updates: readonly RowUpdate[], now: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // A path freed by a move may be taken by a new file in the same scan: apply moves and updates first.
      for (const update of updates) await this.update(manager, update, now);
      for (let i = 0; i < inserts.length; i += INSERT_BATCH) await this.insert(manager, inserts.slice(i, i + INSERT_BATCH), now);
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

  private async insert(manager: EntityManager, batch: readonly FileFacts[], now: number): Promise<void> {
    if (batch.length === 0) return;
    const placeholders = `(${[...FACT_COLUMNS, "created_at", "updated_at"].map(() => "?").join(", ")})`;
    await manager.query(
      // Another process (the CLI beside the bot) may have indexed the same new file a moment ago.
      `INSERT INTO video (${FACT_COLUMNS.join(", ")}, created_at, updated_at) VALUES ${batch.map(() => placeholders).join(", ")} ON CONFLICT(path) DO NOTHING`,
      batch.flatMap((f) => [...factValues(f), now, now]));
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
    return {
      videos: all?.videos ?? 0, seconds: all?.seconds ?? 0, bytes: all?.bytes ?? 0, unreadable: all?.unreadable ?? 0, missing: all?.missing ?? 0,
      byCategory: byCategory.map((c) => ({ name: c.name, videos: c.videos, seconds: c.seconds ?? 0 })),
    };
  }
}
