import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { makeClip } from "./media.js";

/**
 * `count` real clips (copies of one tiny MP4) spread over one category per channel, all queued for
 * upload in order, as "Send all" would leave them. Channels get row ids 1…n; video n goes to channel n mod n.
 */
export async function queueLibrary(ds: DataSource, folder: string, channels: readonly number[], count: number, admin: number): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const clip = makeClip(join(folder, "source.mp4"));
  for (const [i, chatId] of channels.entries()) {
    await ds.query(`INSERT INTO channel (id, chat_id, title, username, audience, created_at) VALUES (?, ?, ?, NULL, 'students', 1)`, [i + 1, chatId, `Channel ${i + 1}`]);
    await ds.query(`INSERT INTO category (id, name, key, audience, created_at) VALUES (?, ?, ?, 'students', 1)`, [i + 1, `Course ${i + 1}`, `course ${i + 1}`]);
    await ds.query(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (?, ?, 'test', 1)`, [i + 1, i + 1]);
  }
  for (let n = 1; n <= count; n++) {
    const name = `Lecture ${String(n).padStart(4, "0")}.mp4`;
    const path = join(folder, name);
    copyFileSync(clip, path);
    const [row] = await ds.query<{ id: number }[]>(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, category_id,
        duration_s, width, height, video_codec, audio_codec, pixel_format, container, created_at, updated_at)
      VALUES (?, ?, ?, ?, '.mp4', 1000, 1, 'indexed', ?, 1, 160, 90, 'h264', 'aac', 'yuv420p', 'mov,mp4,m4a,3gp,3g2,mj2', 1, 1) RETURNING id`,
    [path, folder, name, name, (n % channels.length) + 1]);
    await ds.query(`INSERT INTO upload_job (video_id, state, seq, origin, actor_kind, actor_id, created_at, updated_at) VALUES (?, 'queued', ?, 'bulk', 'user', ?, 1, 1)`, [row?.id, n, String(admin)]);
  }
}
