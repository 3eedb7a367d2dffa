import { In, type DataSource, type EntityManager, type SelectQueryBuilder } from "typeorm";
import type { MediaKind, VideoStatus } from "../../../entities/video.js";
import type { CardConversion, CardPublishing, CatalogStore, Link, TagInfo, VideoDetails } from "../../../services/catalog/catalog-store.js";
import { planConversion } from "../../../services/conversion/plan.js";
import { Category } from "../../../entities/category.js";
import { CategoryChannel } from "../../../entities/category-channel.js";
import { Channel } from "../../../entities/channel.js";
import { ConversionJob } from "../../../entities/conversion-job.js";
import { Publication } from "../../../entities/publication.js";
import { Tag } from "../../../entities/tag.js";
import { Job } from "../../../entities/job.js";
import { UploadJob } from "../../../entities/upload-job.js";
import { Video } from "../../../entities/video.js";
import { count } from "./db-errors.js";
import { inTransaction } from "./transaction.js";
import { addTagLinks } from "./video-tags.js";

const BATCH = 400;

interface DetailRow {
  id: unknown; fileName: string; relativePath: string; sizeBytes: unknown; durationS: number | null; width: number | null; height: number | null;
  videoCodec: string | null; audioCodec: string | null; status: VideoStatus; statusReason: string | null; telegramFileId: string | null;
  categoryId: unknown; categoryName: string | null; categoryAudience: string | null;
  extension: string; container: string | null; pixelFormat: string | null; mediaKind: MediaKind;
  // The latest conversion job, the newest converted copy and the latest upload, joined in (null when there is none).
  jobId: unknown; jobState: CardJob["state"] | null; jobProgress: number | null; jobSpeed: number | null; jobEtaS: number | null; jobReason: string | null;
  convertedId: unknown; convertedFileName: string | null;
  uploadId: unknown; uploadState: UploadJob["state"] | null; uploadReason: string | null; uploadRunAt: unknown; uploadActorKind: string | null; uploadActorId: string | null;
}
type CardJob = NonNullable<CardConversion["job"]>;
interface TagRow { id: unknown; name: string; key: string; uses: unknown }

function cardConversion(r: DetailRow): CardConversion | null {
  const needed = planConversion({ path: "", extension: r.extension, status: r.status, mediaKind: r.mediaKind, container: r.container, videoCodec: r.videoCodec,
    pixelFormat: r.pixelFormat, audioCodec: r.audioCodec, durationS: r.durationS, width: r.width, height: r.height }).kind;
  const isNeeded = needed === "remux" || needed === "transcode";
  if (r.jobId === null || r.jobState === null) return isNeeded ? { needed: true, job: null } : null;
  return { needed: isNeeded, job: { id: Number(r.jobId), state: r.jobState, progress: r.jobProgress, speed: r.jobSpeed, etaS: r.jobEtaS, reason: r.jobReason } };
}

/** The card's latest upload; when a waiting upload retries is its engine job's start time (0 when it is not waiting). */
function cardUpload(r: DetailRow): CardPublishing["upload"] {
  if (r.uploadId === null || r.uploadState === null) return null;
  return { id: Number(r.uploadId), state: r.uploadState, reason: r.uploadReason, notBefore: r.uploadRunAt === null ? 0 : Number(r.uploadRunAt),
    queuedBy: r.uploadActorKind === "user" ? Number(r.uploadActorId) : null };
}

/** Adds a row to the list kept under `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

const toTag = (r: TagRow): TagInfo => ({ id: Number(r.id), name: r.name, key: r.key, uses: count(r.uses) });

/** Videos, tags and their links, through TypeORM. */
export class SqliteCatalogStore implements CatalogStore {
  constructor(private readonly dataSource: DataSource) {}

  async details(ids: readonly number[]): Promise<VideoDetails[]> {
    const found = new Map<number, VideoDetails>();
    for (let i = 0; i < ids.length; i += BATCH) {
      for (const d of await this.detailsOf(ids.slice(i, i + BATCH))) found.set(d.id, d);
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /**
   * One batch of cards: the videos with their latest conversion job, newest converted copy and latest
   * upload joined in (one row each), then one query per kind of list a card shows (posts, routes, tags).
   */
  private async detailsOf(batch: readonly number[]): Promise<VideoDetails[]> {
    const m = this.dataSource.manager;
    const rows = await m.createQueryBuilder(Video, "v").leftJoin(Category, "c", "c.id = v.category_id")
      .leftJoin(ConversionJob, "j", "j.id = (SELECT MAX(k.id) FROM conversion_job k WHERE k.video_id = v.id)")
      .leftJoin(Video, "d", "d.id = (SELECT MAX(o.id) FROM video o WHERE o.derived_from_id = v.id AND o.status = 'indexed')")
      .leftJoin(UploadJob, "u", "u.id = (SELECT MAX(w.id) FROM upload_job w WHERE w.video_id = v.id)")
      .leftJoin(Job, "e", "e.id = u.job_id AND e.state = 'queued'")
      .select("v.id", "id").addSelect("v.file_name", "fileName").addSelect("v.relative_path", "relativePath").addSelect("v.size_bytes", "sizeBytes").addSelect("v.duration_s", "durationS").addSelect("v.width", "width").addSelect("v.height", "height").addSelect("v.video_codec", "videoCodec").addSelect("v.audio_codec", "audioCodec").addSelect("v.status", "status").addSelect("v.media_kind", "mediaKind").addSelect("v.status_reason", "statusReason").addSelect("v.telegram_file_id", "telegramFileId").addSelect("v.extension", "extension").addSelect("v.container", "container").addSelect("v.pixel_format", "pixelFormat").addSelect("c.id", "categoryId").addSelect("c.name", "categoryName").addSelect("c.audience", "categoryAudience")
      .addSelect("j.id", "jobId").addSelect("j.state", "jobState").addSelect("j.progress", "jobProgress").addSelect("j.speed", "jobSpeed").addSelect("j.eta_s", "jobEtaS").addSelect("j.reason", "jobReason")
      .addSelect("d.id", "convertedId").addSelect("d.file_name", "convertedFileName")
      .addSelect("u.id", "uploadId").addSelect("u.state", "uploadState").addSelect("u.reason", "uploadReason").addSelect("e.run_at", "uploadRunAt").addSelect("u.actor_kind", "uploadActorKind").addSelect("u.actor_id", "uploadActorId")
      .where({ id: In(batch) }).getRawMany<DetailRow>();
    if (rows.length === 0) return [];
    const posts = new Map<number, CardPublishing["posts"][number][]>();
    const publications = await m.createQueryBuilder(Publication, "p").where("p.deleted_at IS NULL AND (p.video_id IN (:...batch) OR p.sent_video_id IN (:...batch))", { batch })
      .orderBy("p.id").getMany();
    for (const p of publications) {
      const post = { channelId: p.channelId, chatId: p.chatId, title: p.channelTitle, username: p.channelUsername, messageId: p.messageId };
      push(posts, p.videoId, post);
      if (p.sentVideoId !== p.videoId) push(posts, p.sentVideoId, post);
    }
    const categoryIds = [...new Set(rows.flatMap((r) => (r.categoryId === null ? [] : [Number(r.categoryId)])))];
    const routes = new Map(categoryIds.length === 0 ? [] : (await m.createQueryBuilder(CategoryChannel, "cc").innerJoin(Channel, "ch", "ch.id = cc.channel_id")
      .select("cc.category_id", "categoryId").addSelect("ch.id", "id").addSelect("ch.title", "title").where({ categoryId: In(categoryIds) })
      .getRawMany<{ categoryId: unknown; id: unknown; title: string }>()).map((r) => [Number(r.categoryId), { id: Number(r.id), title: r.title }]));
    const tags = new Map<number, { id: number; name: string }[]>();
    for (const t of await m.createQueryBuilder().from("video_tag", "vt").innerJoin(Tag, "t", "t.id = vt.tag_id").select("vt.video_id", "videoId")
      .addSelect("t.id", "id").addSelect("t.name", "name").where("vt.video_id IN (:...batch)", { batch }).orderBy("t.key").getRawMany<{ videoId: unknown; id: unknown; name: string }>()) {
      push(tags, Number(t.videoId), { id: Number(t.id), name: t.name });
    }
    return rows.map((r) => {
      const id = Number(r.id);
      const categoryId = r.categoryId === null ? null : Number(r.categoryId);
      return {
        id, fileName: r.fileName, relativePath: r.relativePath, sizeBytes: Number(r.sizeBytes), durationS: r.durationS, width: r.width,
        height: r.height, videoCodec: r.videoCodec, audioCodec: r.audioCodec, status: r.status, mediaKind: r.mediaKind, statusReason: r.statusReason,
        telegramFileId: r.telegramFileId, tags: tags.get(id) ?? [], extension: r.extension,
        conversion: cardConversion(r), converted: r.convertedId === null ? null : { id: Number(r.convertedId), fileName: r.convertedFileName ?? "" },
        category: categoryId === null ? null : { id: categoryId, name: r.categoryName ?? "", audience: r.categoryAudience ?? "" },
        publishing: { upload: cardUpload(r), posts: posts.get(id) ?? [], route: (categoryId === null ? undefined : routes.get(categoryId)) ?? null },
      };
    });
  }

  async ensureTags(tags: readonly { name: string; key: string }[], now: number): Promise<TagInfo[]> {
    for (let i = 0; i < tags.length; i += BATCH) {
      const values = tags.slice(i, i + BATCH).map((t) => ({ name: t.name, key: t.key, createdAt: now }));
      await this.dataSource.createQueryBuilder().insert().into(Tag).values(values).orIgnore().updateEntity(false).execute();
    }
    return this.tagsByKey(tags.map((t) => t.key));
  }

  async tagsByKey(keys: readonly string[]): Promise<TagInfo[]> {
    if (keys.length === 0) return [];
    const byKey = new Map<string, TagInfo>();
    for (let i = 0; i < keys.length; i += BATCH) {
      for (const r of await this.tags().where("t.key IN (:...keys)", { keys: keys.slice(i, i + BATCH) }).getRawMany<TagRow>()) byKey.set(r.key, toTag(r));
    }
    return keys.flatMap((k) => byKey.get(k) ?? []);
  }

  async tag(id: number): Promise<TagInfo | null> {
    const row = await this.tags().where("t.id = :id", { id }).getRawOne<TagRow>();
    return row === undefined ? null : toTag(row);
  }

  async link(links: readonly Link[]): Promise<Link[]> {
    return inTransaction(this.dataSource, async (m) => {
      // A link to a video deleted meanwhile is skipped rather than failing the whole edit.
      const videos = new Set<number>();
      const asked = [...new Set(links.map(([video]) => video))];
      for (let i = 0; i < asked.length; i += BATCH) for (const v of await m.find(Video, { select: { id: true }, where: { id: In(asked.slice(i, i + BATCH)) } })) videos.add(v.id);
      const present = await this.existingLinks(m, links);
      const added = new Set<string>();
      const fresh = links.filter(([video, tag]) => {
        const key = `${video}:${tag}`;
        if (!videos.has(video) || present.has(key) || added.has(key)) return false;
        added.add(key);
        return true;
      });
      await addTagLinks(m, fresh);
      return fresh;
    });
  }

  async unlink(links: readonly Link[]): Promise<Link[]> {
    return inTransaction(this.dataSource, async (m) => {
      const present = await this.existingLinks(m, links);
      const removed = new Set<string>();
      const gone = links.filter(([video, tag]) => {
        const key = `${video}:${tag}`;
        if (!present.has(key) || removed.has(key)) return false;
        removed.add(key);
        return true;
      });
      const byTag = new Map<number, number[]>();
      for (const [video, tag] of gone) push(byTag, tag, video);
      for (const [tag, videos] of byTag) {
        for (let i = 0; i < videos.length; i += BATCH) {
          await m.createQueryBuilder().delete().from("video_tag").where("tag_id = :tag AND video_id IN (:...videos)", { tag, videos: videos.slice(i, i + BATCH) }).execute();
        }
      }
      return gone;
    });
  }

  /** Which of these (video, tag) links exist, as "video:tag". */
  private async existingLinks(m: EntityManager, links: readonly Link[]): Promise<Set<string>> {
    const byTag = new Map<number, number[]>();
    for (const [video, tag] of links) push(byTag, tag, video);
    const present = new Set<string>();
    for (const [tag, videos] of byTag) {
      for (let i = 0; i < videos.length; i += BATCH) {
        const rows = await m.createQueryBuilder().from("video_tag", "vt").select("vt.video_id", "videoId")
          .where("vt.tag_id = :tag AND vt.video_id IN (:...videos)", { tag, videos: videos.slice(i, i + BATCH) }).getRawMany<{ videoId: unknown }>();
        for (const r of rows) present.add(`${Number(r.videoId)}:${tag}`);
      }
    }
    return present;
  }

  async categoriesOf(videoIds: readonly number[]): Promise<Map<number, number | null>> {
    const found = new Map<number, number | null>();
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const rows = await this.dataSource.getRepository(Video).createQueryBuilder("v").select("v.id", "id").addSelect("v.category_id", "categoryId")
        .where({ id: In(videoIds.slice(i, i + BATCH)) }).getRawMany<{ id: unknown; categoryId: unknown }>();
      for (const r of rows) found.set(Number(r.id), r.categoryId === null ? null : Number(r.categoryId));
    }
    return found;
  }

  async setCategories(changes: ReadonlyMap<number, number | null>, now: number): Promise<void> {
    // One UPDATE per category and batch of videos, not one per video.
    const byCategory = new Map<number | null, number[]>();
    for (const [videoId, categoryId] of changes) push(byCategory, categoryId, videoId);
    await inTransaction(this.dataSource, async (m) => {
      for (const [categoryId, videos] of byCategory) {
        for (let i = 0; i < videos.length; i += BATCH) {
          await m.createQueryBuilder().update(Video).set({ category: categoryId === null ? null : { id: categoryId }, updatedAt: now })
            .where({ id: In(videos.slice(i, i + BATCH)) }).updateEntity(false).execute();
        }
      }
    });
  }

  async tagsStartingWith(keyPrefix: string, limit: number): Promise<TagInfo[]> {
    // A range on the unique key index; U+10FFFF sorts after every character.
    const rows = await this.tags().where("t.key >= :from AND t.key < :to", { from: keyPrefix, to: `${keyPrefix}\u{10FFFF}` })
      .orderBy("uses", "DESC").addOrderBy("t.key").limit(limit).getRawMany<TagRow>();
    return rows.map(toTag);
  }

  async popularTags(limit: number): Promise<TagInfo[]> {
    return (await this.tags().orderBy("uses", "DESC").addOrderBy("t.id", "DESC").limit(limit).getRawMany<TagRow>()).map(toTag);
  }

  async listTags(offset: number, limit: number): Promise<{ tags: TagInfo[]; total: number }> {
    const rows = await this.tags().orderBy("uses", "DESC").addOrderBy("t.key").limit(limit).offset(offset).getRawMany<TagRow>();
    return { tags: rows.map(toTag), total: await this.dataSource.getRepository(Tag).count() };
  }

  async renameTag(id: number, name: string, key: string): Promise<number[]> {
    await this.dataSource.getRepository(Tag).update({ id }, { name, key });
    const rows = await this.dataSource.createQueryBuilder().select("vt.video_id", "videoId").from("video_tag", "vt").where("vt.tag_id = :id", { id })
      .getRawMany<{ videoId: unknown }>();
    return rows.map((row) => Number(row.videoId));
  }

  async mergeTag(fromId: number, intoId: number): Promise<number[]> {
    return inTransaction(this.dataSource, async (m) => {
      const videos = (await m.createQueryBuilder().from("video_tag", "vt").select("vt.video_id", "videoId").where("vt.tag_id = :fromId", { fromId })
        .getRawMany<{ videoId: unknown }>()).map((r) => Number(r.videoId));
      await addTagLinks(m, videos.map((video) => [video, intoId] as const));
      await m.createQueryBuilder().delete().from("video_tag").where("tag_id = :fromId", { fromId }).execute();
      await m.delete(Tag, { id: fromId });
      return videos;
    });
  }

  async tagsAmong(videoIds: readonly number[], limit: number): Promise<(TagInfo & { among: number })[]> {
    const counts = new Map<number, number>();
    for (let i = 0; i < videoIds.length; i += BATCH) {
      const rows = await this.dataSource.createQueryBuilder().from("video_tag", "vt").select("vt.tag_id", "tagId").addSelect("COUNT(*)", "n")
        .where("vt.video_id IN (:...videos)", { videos: videoIds.slice(i, i + BATCH) }).groupBy("vt.tag_id").getRawMany<{ tagId: unknown; n: unknown }>();
      for (const r of rows) counts.set(Number(r.tagId), (counts.get(Number(r.tagId)) ?? 0) + count(r.n));
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit);
    const tags = await Promise.all(top.map(async ([id, among]) => {
      const tag = await this.tag(id);
      return tag === null ? [] : [{ ...tag, among }];
    }));
    return tags.flat();
  }

  /** Tags with how many videos use each. */
  private tags(): SelectQueryBuilder<Tag> {
    return this.dataSource.getRepository(Tag).createQueryBuilder("t").select("t.id", "id").addSelect("t.name", "name").addSelect("t.key", "key")
      .addSelect("(SELECT COUNT(*) FROM video_tag vt WHERE vt.tag_id = t.id)", "uses");
  }
}
