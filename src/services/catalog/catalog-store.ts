import type { MediaKind, VideoStatus } from "../../entities/video.js";
import type { UploadState } from "../publish/upload-job.js";

/** Everything a video card shows. */
export interface VideoDetails {
  readonly id: number;
  readonly fileName: string;
  readonly relativePath: string;
  readonly sizeBytes: number;
  readonly durationS: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly videoCodec: string | null;
  readonly audioCodec: string | null;
  readonly status: VideoStatus;
  /** "audio": sound only; the card says it is never converted, exported or posted. */
  readonly mediaKind: MediaKind;
  readonly statusReason: string | null;
  readonly telegramFileId: string | null;
  readonly category: { readonly id: number; readonly name: string; readonly audience: string } | null;
  readonly tags: readonly TagRef[];
  /** Extension with the dot, lower-case. */
  readonly extension: string;
  /** The newest conversion job, if any. */
  readonly conversion: CardConversion | null;
  /** The MP4 converted from this video, if it is in the library. */
  readonly converted: { readonly id: number; readonly fileName: string } | null;
  /** Its newest upload, its posts, and the channel its category maps to now. */
  readonly publishing: CardPublishing;
}


/** What a card shows of publishing. */
export interface CardPublishing {
  /** `queuedBy`: the person who queued it, when a person did. */
  readonly upload: { readonly id: number; readonly state: UploadState; readonly reason: string | null; readonly notBefore: number; readonly queuedBy: number | null } | null;
  readonly posts: readonly { readonly channelId: number; readonly chatId: number; readonly title: string; readonly username: string | null; readonly messageId: number | null }[];
  readonly route: { readonly id: number; readonly title: string } | null;
}

/** What a card shows of a video's conversion: whether it needs one, and its newest job. */
export interface CardConversion {
  /** The file must be converted before Telegram can play it (it is not already a playable MP4). */
  readonly needed: boolean;
  readonly job: {
    readonly id: number;
    readonly state: "queued" | "running" | "done" | "failed" | "cancelled";
    readonly progress: number | null;
    readonly speed: number | null;
    readonly etaS: number | null;
    readonly reason: string | null;
  } | null;
}

export interface TagRef {
  readonly id: number;
  readonly name: string;
}

export interface TagInfo extends TagRef {
  readonly key: string;
  /** How many videos carry it. */
  readonly uses: number;
}

/** A link between a video and a tag. */
export type Link = readonly [videoId: number, tagId: number];

/** Videos, tags and their links in SQLite. Each method is one transaction. */
export interface CatalogStore {
  /** Details of the videos that exist, in the order asked. */
  details(ids: readonly number[]): Promise<VideoDetails[]>;
  /** Tags with these keys; missing ones are created with the given display name. */
  ensureTags(tags: readonly { name: string; key: string }[], now: number): Promise<TagInfo[]>;
  tagsByKey(keys: readonly string[]): Promise<TagInfo[]>;
  tag(id: number): Promise<TagInfo | null>;
  /** Adds links; returns those that were new. */
  link(links: readonly Link[]): Promise<Link[]>;
  /** Removes links; returns those that existed. */
  unlink(links: readonly Link[]): Promise<Link[]>;
  /** Current category of each existing video. */
  categoriesOf(videoIds: readonly number[]): Promise<Map<number, number | null>>;
  setCategories(changes: ReadonlyMap<number, number | null>, now: number): Promise<void>;
  tagsStartingWith(keyPrefix: string, limit: number): Promise<TagInfo[]>;
  /** The most used tags, then the newest. */
  popularTags(limit: number): Promise<TagInfo[]>;
  listTags(offset: number, limit: number): Promise<{ tags: TagInfo[]; total: number }>;
  /** Renames a tag; returns the videos that carry it. */
  renameTag(id: number, name: string, key: string): Promise<number[]>;
  /** Moves every link of `fromId` to `intoId` and deletes `fromId`; returns the videos it touched. */
  mergeTag(fromId: number, intoId: number): Promise<number[]>;
  /** How many of these videos carry each tag, most first. */
  tagsAmong(videoIds: readonly number[], limit: number): Promise<(TagInfo & { among: number })[]>;
}
