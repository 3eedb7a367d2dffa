/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 statements are synchronous; the methods are async because the service ports are. */
import type { DataSource } from "typeorm";
import type { FileStamp } from "../../services/conversion/ports.js";
import type { DupeStore, FileMove, ShownPair } from "../../services/dupes/dupe-ports.js";
import type { DupeVideo } from "../../services/dupes/pairs.js";
import { rawDatabase, type RawDatabase } from "./raw-sqlite.js";
import { bumpLibraryGeneration } from "./library-index.js";

interface VideoRow {
  id: number; path: string; root: string; relative_path: string; file_name: string; extension: string; size_bytes: number; mtime_ms: number;
  fingerprint: string | null; duration_s: number | null; width: number | null; height: number | null; video_codec: string | null;
  audio_codec: string | null; pixel_format: string | null; container: string | null;
}
interface PairRow {
  id: number; kind: ShownPair["kind"]; original_id: number; copy_id: number; original_size: number; original_mtime: number; copy_size: number;
  copy_mtime: number; verified: number; created_at: number; resolution: string | null;
}
interface MoveRow {
  id: number; video_id: number; kind: FileMove["kind"]; from_path: string; to_path: string; size_bytes: number; mtime_ms: number; moved_at: number;
  expires_at: number | null; file_name: string;
}

const VIDEO_COLUMNS = `id, path, root, relative_path, file_name, extension, size_bytes, mtime_ms, fingerprint, duration_s, width, height, video_codec, audio_codec, pixel_format, container`;
const toVideo = (r: VideoRow): DupeVideo => ({
  id: r.id, path: r.path, root: r.root, relativePath: r.relative_path, fileName: r.file_name, extension: r.extension, sizeBytes: r.size_bytes,
  mtimeMs: r.mtime_ms, fingerprint: r.fingerprint, durationS: r.duration_s, width: r.width, height: r.height, videoCodec: r.video_codec,
  audioCodec: r.audio_codec, pixelFormat: r.pixel_format, container: r.container,
});
// In a pair row "original" is the file cleanup acts on and "copy" the one that stays.
const toPair = (r: PairRow): ShownPair => ({
  id: r.id, kind: r.kind, removeId: r.original_id, keepId: r.copy_id, removeStamp: { size: r.original_size, mtimeMs: r.original_mtime },
  keepStamp: { size: r.copy_size, mtimeMs: r.copy_mtime }, verified: r.verified === 1, listedAt: r.created_at, resolution: r.resolution,
});
const toMove = (r: MoveRow): FileMove => ({
  id: r.id, videoId: r.video_id, kind: r.kind, fromPath: r.from_path, toPath: r.to_path, stamp: { size: r.size_bytes, mtimeMs: r.mtime_ms },
  movedAt: r.moved_at, expiresAt: r.expires_at, fileName: r.file_name,
});
const MOVE_SELECT = `SELECT m.*, v.file_name FROM file_move m JOIN video v ON v.id = m.video_id`;

/** Duplicate cleanup's rows in SQLite (synchronous statements on the shared connection). */
export class SqliteDupeStore implements DupeStore {
  private readonly db: RawDatabase;

  constructor(dataSource: DataSource) {
    this.db = rawDatabase(dataSource);
  }

  async candidates(): Promise<DupeVideo[]> {
    return (this.db.prepare(`SELECT ${VIDEO_COLUMNS} FROM video v WHERE status = 'indexed' AND media_kind = 'video' AND (extension IN ('.ts', '.mp4')
        OR (fingerprint IS NOT NULL AND EXISTS (SELECT 1 FROM video o WHERE o.fingerprint = v.fingerprint AND o.id != v.id AND o.status = 'indexed' AND o.media_kind = 'video')))
      ORDER BY id`).all() as VideoRow[]).map(toVideo);
  }

  async videos(ids: readonly number[]): Promise<DupeVideo[]> {
    const statement = this.db.prepare(`SELECT ${VIDEO_COLUMNS} FROM video WHERE id = ?`);
    return ids.flatMap((id) => { const row = statement.get(id) as VideoRow | undefined; return row === undefined ? [] : [toVideo(row)]; });
  }

  async keptPairs(): Promise<Set<string>> {
    return new Set((this.db.prepare(`SELECT low_id || ':' || high_id FROM dupe_keep`).pluck().all() as string[]));
  }

  async keepBoth(lowId: number, highId: number, actorId: string, now: number): Promise<void> {
    this.db.prepare(`INSERT OR IGNORE INTO dupe_keep (low_id, high_id, actor_id, created_at) VALUES (?, ?, ?, ?)`).run(lowId, highId, actorId, now);
  }

  async hashOf(videoId: number, stamp: FileStamp): Promise<string | null> {
    return (this.db.prepare(`SELECT sha256 FROM content_hash WHERE video_id = ? AND size_bytes = ? AND mtime_ms = ?`).pluck().get(videoId, stamp.size, stamp.mtimeMs) as string | undefined) ?? null;
  }

  async saveHash(videoId: number, stamp: FileStamp, sha256: string, now: number): Promise<void> {
    this.db.prepare(`INSERT INTO content_hash (video_id, size_bytes, mtime_ms, sha256, hashed_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (video_id) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256, hashed_at = excluded.hashed_at`)
      .run(videoId, stamp.size, stamp.mtimeMs, sha256, now);
  }

  async saveListing(pairs: readonly Omit<ShownPair, "id" | "listedAt" | "resolution">[], now: number): Promise<ShownPair[]> {
    const insert = this.db.prepare(`INSERT INTO dupe_pair (kind, original_id, copy_id, original_size, original_mtime, copy_size, copy_mtime, verified, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`);
    return this.db.transaction(() => pairs.map((p) => toPair(insert.get(p.kind, p.removeId, p.keepId, p.removeStamp.size, p.removeStamp.mtimeMs,
      p.keepStamp.size, p.keepStamp.mtimeMs, p.verified ? 1 : 0, now) as PairRow)))();
  }

  async pair(id: number): Promise<ShownPair | null> {
    const row = this.db.prepare(`SELECT * FROM dupe_pair WHERE id = ?`).get(id) as PairRow | undefined;
    return row === undefined ? null : toPair(row);
  }

  async nextInListing(pair: ShownPair): Promise<ShownPair | null> {
    const row = this.db.prepare(`SELECT * FROM dupe_pair WHERE created_at = ? AND id > ? AND resolution IS NULL ORDER BY id LIMIT 1`).get(pair.listedAt, pair.id) as PairRow | undefined;
    return row === undefined ? null : toPair(row);
  }

  async unresolvedInListing(listedAt: number): Promise<ShownPair[]> {
    return (this.db.prepare(`SELECT * FROM dupe_pair WHERE created_at = ? AND resolution IS NULL ORDER BY id`).all(listedAt) as PairRow[]).map(toPair);
  }

  async resolve(id: number, resolution: string, now: number): Promise<boolean> {
    return this.db.prepare(`UPDATE dupe_pair SET resolution = ?, resolved_at = ? WHERE id = ? AND resolution IS NULL`).run(resolution, now, id).changes > 0;
  }

  async recordMove(move: Omit<FileMove, "id" | "fileName">, heirId: number | null, actorId: string, reason: string): Promise<number> {
    return this.db.transaction(() => {
      const id = this.db.prepare(`INSERT INTO file_move (video_id, kind, from_path, to_path, size_bytes, mtime_ms, actor_id, moved_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`).pluck().get(move.videoId, move.kind, move.fromPath, move.toPath, move.stamp.size,
        move.stamp.mtimeMs, actorId, move.movedAt, move.expiresAt) as number;
      this.db.prepare(`UPDATE video SET status = 'missing', status_reason = ?, updated_at = ? WHERE id = ?`).run(reason, move.movedAt, move.videoId);
      bumpLibraryGeneration(this.db);
      if (heirId !== null) {
        // Tagging work done on the removed file is not lost: the file that stays takes its tags and, if it has none, its category.
        this.db.prepare(`INSERT OR IGNORE INTO video_tag (video_id, tag_id) SELECT ?, tag_id FROM video_tag WHERE video_id = ?`).run(heirId, move.videoId);
        this.db.prepare(`UPDATE video SET category_id = coalesce(category_id, (SELECT category_id FROM video WHERE id = ?)), updated_at = ? WHERE id = ?`)
          .run(move.videoId, move.movedAt, heirId);
      }
      return id;
    })();
  }

  async move(id: number): Promise<FileMove | null> {
    const row = this.db.prepare(`${MOVE_SELECT} WHERE m.id = ? AND m.undone_at IS NULL AND m.purged_at IS NULL`).get(id) as MoveRow | undefined;
    return row === undefined ? null : toMove(row);
  }

  async recentMoves(limit: number): Promise<FileMove[]> {
    return (this.db.prepare(`${MOVE_SELECT} WHERE m.undone_at IS NULL AND m.purged_at IS NULL ORDER BY m.id DESC LIMIT ?`).all(limit) as MoveRow[]).map(toMove);
  }

  async undoMove(id: number, now: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE file_move SET undone_at = ? WHERE id = ?`).run(now, id);
      this.db.prepare(`UPDATE video SET status = 'indexed', status_reason = NULL, updated_at = ? WHERE id = (SELECT video_id FROM file_move WHERE id = ?)`).run(now, id);
      bumpLibraryGeneration(this.db);
    })();
  }

  async expiredTrash(now: number): Promise<FileMove[]> {
    return (this.db.prepare(`${MOVE_SELECT} WHERE m.kind = 'trash' AND m.undone_at IS NULL AND m.purged_at IS NULL AND m.expires_at <= ?`).all(now) as MoveRow[]).map(toMove);
  }

  async markPurged(id: number, now: number): Promise<void> {
    this.db.prepare(`UPDATE file_move SET purged_at = ? WHERE id = ?`).run(now, id);
  }
}
