import type { DataSource } from "typeorm";
import { SqliteLibraryIndex } from "../../src/infra/stores/library-index.js";
import type { VideoStatus } from "../../src/entities/video.js";
import type { VideoChanges } from "../../src/services/follow-up/video-follow-ups.js";

export interface VideoExtra {
  readonly status?: string;
  readonly category?: number | null;
  /** Fill what ffprobe would have found: 1:02:03, 1920×1080, h264/aac, 123.5 MB. */
  readonly probed?: boolean;
}

/** Inserts a video row as the scanner would, without a file (and lists it for the search index, as a scan does); returns its id. */
export async function insertVideo(dataSource: DataSource, relativePath: string, extra: VideoExtra = {}): Promise<number> {
  const fileName = relativePath.split("/").pop() ?? relativePath;
  const dot = fileName.lastIndexOf(".");
  const extension = dot > 0 ? fileName.slice(dot).toLowerCase() : "";
  const container = extension === ".mp4" ? "mov,mp4,m4a,3gp,3g2,mj2" : extension === ".ts" ? "mpegts" : "matroska,webm";
  const probe = extra.probed === true ? [3723, 1920, 1080, "h264", "aac", "yuv420p", container] : [null, null, null, null, null, null, null];
  const [row] = await dataSource.query<{ id: number }[]>(
    `INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, category_id,
       duration_s, width, height, video_codec, audio_codec, pixel_format, container, created_at, updated_at)
     VALUES (?, '/lib', ?, ?, ?, 123456789, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1) RETURNING id`,
    [`/lib/${relativePath}`, relativePath, fileName, extension, extra.status ?? "indexed", extra.category ?? null, ...probe]);
  if (row === undefined) throw new Error("insert returned no id");
  await dataSource.query(`INSERT OR IGNORE INTO search_dirty (video_id) VALUES (?)`, [row.id]);
  return row.id;
}

/**
 * What a scan writes when a video's file goes missing or comes back: through the scanner's own index store,
 * followed (with `followUps`, in an app) by what the scanner enqueues after its writes.
 */
export async function scanStatus(dataSource: DataSource, videoId: number, status: VideoStatus, followUps?: VideoChanges): Promise<void> {
  const written = await new SqliteLibraryIndex(dataSource).apply([], [{ kind: "status", id: videoId, status, statusReason: null }], Date.now());
  await followUps?.videosChanged(written, { searchMarked: true });
}

/** What a scan writes when it finds a video's file under a new name (a row inserted by insertVideo). */
export async function scanMove(dataSource: DataSource, videoId: number, relativePath: string): Promise<void> {
  const fileName = relativePath.split("/").pop() ?? relativePath;
  const dot = fileName.lastIndexOf(".");
  await new SqliteLibraryIndex(dataSource).apply([], [{ kind: "facts", id: videoId, facts: {
    path: `/lib/${relativePath}`, root: "/lib", relativePath, fileName, extension: dot > 0 ? fileName.slice(dot).toLowerCase() : "", size: 123456789, mtimeMs: 1,
    fingerprint: null, status: "indexed", statusReason: null, media: null, probedAt: null,
  } }], Date.now());
}
