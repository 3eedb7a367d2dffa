import type { DataSource } from "typeorm";
import type { MediaKind, VideoStatus } from "../../entities/video.js";
import type { CardConversion, CardPublishing, CatalogStore, Link, TagInfo, VideoDetails } from "../../services/catalog/catalog-store.js";
import { planConversion } from "../../services/conversion/plan.js";
import type { UploadState } from "../../services/publish/upload-job.js";
import { rawDatabase } from "./raw-sqlite.js";

const BATCH = 400;
const list = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

interface DetailRow {
  id: number; file_name: string; relative_path: string; size_bytes: number; duration_s: number | null; width: number | null; height: number | null;
  video_codec: string | null; audio_codec: string | null; status: VideoStatus; status_reason: string | null; telegram_file_id: string | null;
  category_id: number | null; category_name: string | null; category_audience: string | null; tags: string | null;
  extension: string; container: string | null; pixel_format: string | null; media_kind: MediaKind; job: string | null; converted: string | null;
  upload: string | null; posts: string; route_channel: number | null; route_title: string | null;
}
interface TagRow { id: number; name: string; key: string; uses: number }

const TAG_COLUMNS = `t.id, t.name, t.key, (SELECT count(*) FROM video_tag vt WHERE vt.tag_id = t.id) AS uses`;
function cardConversion(r: DetailRow): CardConversion | null {
  const needed = planConversion({ path: "", extension: r.extension, status: r.status, mediaKind: r.media_kind, container: r.container, videoCodec: r.video_codec,
    pixelFormat: r.pixel_format, audioCodec: r.audio_codec, durationS: r.duration_s, width: r.width, height: r.height }).kind;
  const isNeeded = needed === "remux" || needed === "transcode";
  if (r.job === null) return isNeeded ? { needed: true, job: null } : null;
  const [id, state, progress, speed, etaS, reason] = JSON.parse(r.job) as [number, NonNullable<CardConversion["job"]>["state"], number | null, number | null, number | null, string | null];
  return { needed: isNeeded, job: { id, state, progress, speed, etaS, reason } };
}

function cardPublishing(r: DetailRow): CardPublishing {
  const upload = r.upload === null ? null : (([id, state, reason, notBefore, queuedBy]: [number, UploadState, string | null, number, number | null]) => ({ id, state, reason, notBefore, queuedBy }))(
    JSON.parse(r.upload) as [number, UploadState, string | null, number, number | null]);
  const posts = (JSON.parse(r.posts) as [number, number, string, string | null, number | null][])
    .map(([channelId, chatId, title, username, messageId]) => ({ channelId, chatId, title, username, messageId }));
  return { upload, posts, route: r.route_channel === null ? null : { id: r.route_channel, title: r.route_title ?? "" } };
}

const toTag = (r: TagRow): TagInfo => ({ id: r.id, name: r.name, key: r.key, uses: r.uses });

/** Videos, tags and their links, in SQLite. */
export class SqliteCatalogStore implements CatalogStore {
  constructor(private readonly dataSource: DataSource) {}

  async details(ids: readonly number[]): Promise<VideoDetails[]> {
    const found = new Map<number, VideoDetails>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      // Tags travel as JSON so names with commas, quotes or new lines survive.
      const rows = await this.dataSource.query<DetailRow[]>(
        `SELECT v.id, v.file_name, v.relative_path, v.size_bytes, v.duration_s, v.width, v.height, v.video_codec, v.audio_codec, v.status, v.media_kind,
                v.status_reason, v.telegram_file_id, v.extension, v.container, v.pixel_format,
                (SELECT json_array(j.id, j.state, j.progress, j.speed, j.eta_s, j.reason) FROM conversion_job j WHERE j.video_id = v.id ORDER BY j.id DESC LIMIT 1) AS job,
                (SELECT json_array(d.id, d.file_name) FROM video d WHERE d.derived_from_id = v.id AND d.status = 'indexed' ORDER BY d.id DESC LIMIT 1) AS converted,
                (SELECT json_array(u.id, u.state, u.reason, u.not_before, CASE WHEN u.actor_kind = 'user' THEN CAST(u.actor_id AS INTEGER) END) FROM upload_job u WHERE u.video_id = v.id ORDER BY u.id DESC LIMIT 1) AS upload,
                (SELECT json_group_array(json_array(p.channel_id, p.chat_id, p.channel_title, p.channel_username, p.message_id)) FROM publication p
                   WHERE p.deleted_at IS NULL AND (p.video_id = v.id OR p.sent_video_id = v.id)) AS posts,
                (SELECT ch.id FROM category_channel m JOIN channel ch ON ch.id = m.channel_id WHERE m.category_id = v.category_id) AS route_channel,
                (SELECT ch.title FROM category_channel m JOIN channel ch ON ch.id = m.channel_id WHERE m.category_id = v.category_id) AS route_title,
                c.id AS category_id, c.name AS category_name, c.audience AS category_audience,
                (SELECT json_group_array(json_array(t.id, t.name)) FROM (SELECT t.id, t.name FROM video_tag vt JOIN tag t ON t.id = vt.tag_id
                   WHERE vt.video_id = v.id ORDER BY t.key) t) AS tags
         FROM video v LEFT JOIN category c ON c.id = v.category_id WHERE v.id IN (${list(batch.length)})`, batch);
      for (const r of rows) {
        const tags = (JSON.parse(r.tags ?? "[]") as [number, string][]).map(([id, name]) => ({ id, name }));
        found.set(r.id, {
          id: r.id, fileName: r.file_name, relativePath: r.relative_path, sizeBytes: r.size_bytes, durationS: r.duration_s, width: r.width,
          height: r.height, videoCodec: r.video_codec, audioCodec: r.audio_codec, status: r.status, mediaKind: r.media_kind, statusReason: r.status_reason,
          telegramFileId: r.telegram_file_id, tags, extension: r.extension,
          conversion: cardConversion(r), converted: r.converted === null ? null : (([id, fileName]: [number, string]) => ({ id, fileName }))(JSON.parse(r.converted) as [number, string]),
          category: r.category_id === null ? null : { id: r.category_id, name: r.category_name ?? "", audience: r.category_audience ?? "" },
          publishing: cardPublishing(r),
        });
      }
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async ensureTags(tags: readonly { name: string; key: string }[], now: number): Promise<TagInfo[]> {
    for (const t of tags) await this.dataSource.query(`INSERT OR IGNORE INTO tag (name, key, created_at) VALUES (?, ?, ?)`, [t.name, t.key, now]);
    return this.tagsByKey(tags.map((t) => t.key));
  }

  async tagsByKey(keys: readonly string[]): Promise<TagInfo[]> {
    if (keys.length === 0) return [];
    const rows = await this.dataSource.query<TagRow[]>(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.key IN (${list(keys.length)})`, [...keys]);
    const byKey = new Map(rows.map((r) => [r.key, toTag(r)]));
    return keys.flatMap((k) => byKey.get(k) ?? []);
  }

  async tag(id: number): Promise<TagInfo | null> {
    const [row] = await this.dataSource.query<TagRow[]>(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.id = ?`, [id]);
    return row === undefined ? null : toTag(row);
  }

  link(links: readonly Link[]): Promise<Link[]> {
    // A link to a video deleted meanwhile is skipped rather than failing the whole edit.
    return this.changeLinks(links, `INSERT OR IGNORE INTO video_tag (video_id, tag_id) SELECT id, @tag FROM video WHERE id = @video`);
  }

  unlink(links: readonly Link[]): Promise<Link[]> {
    return this.changeLinks(links, `DELETE FROM video_tag WHERE video_id = @video AND tag_id = @tag`);
  }

  private changeLinks(links: readonly Link[], sql: string): Promise<Link[]> {
    const db = rawDatabase(this.dataSource);
    const statement = db.prepare(sql);
    // One synchronous transaction: a bulk edit of thousands of links takes milliseconds, and nothing interleaves.
    return Promise.resolve(db.transaction(() => links.filter(([video, tag]) => statement.run({ video, tag }).changes > 0))());
  }

  async categoriesOf(videoIds: readonly number[]): Promise<Map<number, number | null>> {
    const found = new Map<number, number | null>();
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const batch = videoIds.slice(i, i + BATCH);
      const rows = await this.dataSource.query<{ id: number; category_id: number | null }[]>(`SELECT id, category_id FROM video WHERE id IN (${list(batch.length)})`, batch);
      for (const r of rows) found.set(r.id, r.category_id);
    }
    return found;
  }

  async setCategories(changes: ReadonlyMap<number, number | null>, now: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      for (const [videoId, categoryId] of changes) await m.query(`UPDATE video SET category_id = ?, updated_at = ? WHERE id = ?`, [categoryId, now, videoId]);
    });
  }

  async tagsStartingWith(keyPrefix: string, limit: number): Promise<TagInfo[]> {
    // A range on the unique key index; U+10FFFF sorts after every character.
    const rows = await this.dataSource.query<TagRow[]>(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.key >= ? AND t.key < ? ORDER BY uses DESC, t.key LIMIT ?`,
      [keyPrefix, `${keyPrefix}\u{10FFFF}`, limit]);
    return rows.map(toTag);
  }

  async popularTags(limit: number): Promise<TagInfo[]> {
    const rows = await this.dataSource.query<TagRow[]>(`SELECT ${TAG_COLUMNS} FROM tag t ORDER BY uses DESC, t.id DESC LIMIT ?`, [limit]);
    return rows.map(toTag);
  }

  async listTags(offset: number, limit: number): Promise<{ tags: TagInfo[]; total: number }> {
    const rows = await this.dataSource.query<TagRow[]>(`SELECT ${TAG_COLUMNS} FROM tag t ORDER BY uses DESC, t.key LIMIT ? OFFSET ?`, [limit, offset]);
    const [count] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM tag`);
    return { tags: rows.map(toTag), total: count?.n ?? 0 };
  }

  async renameTag(id: number, name: string, key: string): Promise<number[]> {
    await this.dataSource.query(`UPDATE tag SET name = ?, key = ? WHERE id = ?`, [name, key, id]);
    return (await this.dataSource.query<{ video_id: number }[]>(`SELECT video_id FROM video_tag WHERE tag_id = ?`, [id])).map((r) => r.video_id);
  }

  async mergeTag(fromId: number, intoId: number): Promise<number[]> {
    return this.dataSource.transaction(async (m) => {
      const videos = (await m.query<{ video_id: number }[]>(`SELECT video_id FROM video_tag WHERE tag_id = ?`, [fromId])).map((r) => r.video_id);
      await m.query(`INSERT OR IGNORE INTO video_tag (video_id, tag_id) SELECT video_id, ? FROM video_tag WHERE tag_id = ?`, [intoId, fromId]);
      await m.query(`DELETE FROM video_tag WHERE tag_id = ?`, [fromId]);
      await m.query(`DELETE FROM tag WHERE id = ?`, [fromId]);
      return videos;
    });
  }

  async tagsAmong(videoIds: readonly number[], limit: number): Promise<(TagInfo & { among: number })[]> {
    const counts = new Map<number, number>();
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const batch = videoIds.slice(i, i + BATCH);
      const rows = await this.dataSource.query<{ tag_id: number; n: number }[]>(
        `SELECT tag_id, count(*) AS n FROM video_tag WHERE video_id IN (${list(batch.length)}) GROUP BY tag_id`, batch);
      for (const r of rows) counts.set(r.tag_id, (counts.get(r.tag_id) ?? 0) + r.n);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit);
    const tags = await Promise.all(top.map(async ([id, among]) => {
      const tag = await this.tag(id);
      return tag === null ? [] : [{ ...tag, among }];
    }));
    return tags.flat();
  }
}
