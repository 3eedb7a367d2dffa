import type { DataSource } from "typeorm";
import { SqliteLibraryIndex } from "../../src/infra/database/stores/library-index.js";
import { Video, type VideoStatus } from "../../src/entities/video.js";
import { SearchDirty } from "../../src/entities/search-dirty.js";
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
  const [duration, width, height, videoCodec, audioCodec, pixelFormat, probedContainer] = probe as [number | null, number | null, number | null, string | null, string | null, string | null, string | null];
  // Through the query builder, so it runs on SQLite and PostgreSQL alike.
  const inserted = await dataSource.createQueryBuilder().insert().into(Video).values({
    path: `/lib/${relativePath}`, root: "/lib", folder: "lib", relativePath, fileName, extension, sizeBytes: 123456789, mtimeMs: 1, status: (extra.status ?? "indexed") as VideoStatus,
    category: extra.category === undefined || extra.category === null ? null : { id: extra.category }, durationS: duration, width, height, videoCodec, audioCodec, pixelFormat,
    container: probedContainer, createdAt: 1, updatedAt: 1,
  }).execute();
  const row = inserted.identifiers[0] as { id: number } | undefined;
  if (row === undefined) throw new Error("insert returned no id");
  await dataSource.createQueryBuilder().insert().into(SearchDirty).values({ videoId: row.id }).orIgnore().updateEntity(false).execute();
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
    path: `/lib/${relativePath}`, root: "/lib", folder: "lib", relativePath, fileName, extension: dot > 0 ? fileName.slice(dot).toLowerCase() : "", size: 123456789, mtimeMs: 1,
    fingerprint: null, status: "indexed", statusReason: null, media: null, probedAt: null,
  } }], Date.now());
}
