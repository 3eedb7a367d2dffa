import type { DataSource } from "typeorm";

export interface VideoExtra {
  readonly status?: string;
  readonly category?: number | null;
  /** Fill what ffprobe would have found: 1:02:03, 1920×1080, h264/aac, 123.5 MB. */
  readonly probed?: boolean;
}

/** Inserts a video row as the scanner would, without a file; returns its id. */
export async function insertVideo(dataSource: DataSource, relativePath: string, extra: VideoExtra = {}): Promise<number> {
  const fileName = relativePath.split("/").pop() ?? relativePath;
  const probe = extra.probed === true ? [3723, 1920, 1080, "h264", "aac"] : [null, null, null, null, null];
  const [row] = await dataSource.query<{ id: number }[]>(
    `INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, category_id,
       duration_s, width, height, video_codec, audio_codec, created_at, updated_at)
     VALUES (?, '/lib', ?, ?, '.mp4', 123456789, 1, ?, ?, ?, ?, ?, ?, ?, 1, 1) RETURNING id`,
    [`/lib/${relativePath}`, relativePath, fileName, extra.status ?? "indexed", extra.category ?? null, ...probe]);
  if (row === undefined) throw new Error("insert returned no id");
  return row.id;
}
