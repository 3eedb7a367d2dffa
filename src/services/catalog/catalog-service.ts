import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import { words } from "../search/normalise.js";
import type { CatalogStore, TagInfo, TagRef, VideoDetails } from "./catalog-store.js";
import { cleanTagName, tagKey, type TagNameProblem } from "./tag-names.js";
import { NO_FOLLOW_UPS, type VideoChanges } from "../follow-up/video-follow-ups.js";

export interface TagEdit {
  readonly added: readonly TagRef[];
  /** Tags the video already had. */
  readonly already: readonly TagRef[];
  readonly problems: readonly TagNameProblem[];
}

export type RenameOutcome =
  | { readonly kind: "renamed"; readonly tag: TagRef }
  | { readonly kind: "merged"; readonly into: TagRef; readonly videos: number }
  | { readonly kind: "unchanged" }
  | { readonly kind: "missing" }
  | { readonly kind: "invalid"; readonly problem: TagNameProblem };

export type CategoryChange = "changed" | "unchanged" | "missing";

const names = (tags: readonly TagRef[]): string[] => tags.map((t) => t.name);

/** Tags and categories of single videos, and the tag library. Every change is audited with before → after. */
export class CatalogService {
  /** `followUps`: every change here is followed by the search and card refresh of the videos it touched. */
  constructor(private readonly store: CatalogStore, private readonly audit: AuditService, private readonly clock: Clock,
    private readonly followUps: VideoChanges = NO_FOLLOW_UPS) {}

  /** Details of one video, or null when it no longer exists. */
  async video(id: number): Promise<VideoDetails | null> {
    return (await this.store.details([id]))[0] ?? null;
  }

  /** Details of several videos, in the order asked; missing ones are left out. */
  videos(ids: readonly number[]): Promise<VideoDetails[]> {
    return this.store.details(ids);
  }

  /** Adds tags typed by a person; bad names are reported, not saved. */
  async addTags(videoId: number, typed: readonly string[], actor: Actor): Promise<TagEdit | null> {
    requirePermission(actor, "tag");
    const before = await this.video(videoId);
    if (before === null) return null;
    const problems: TagNameProblem[] = [];
    const wanted = new Map<string, string>();
    for (const raw of typed) {
      const clean = cleanTagName(raw);
      if (!clean.ok) problems.push(clean.problem);
      else if (!wanted.has(clean.key)) wanted.set(clean.key, clean.name);
    }
    const tags = await this.store.ensureTags([...wanted].map(([key, name]) => ({ key, name })), this.clock.now());
    const linked = new Set((await this.store.link(tags.map((t) => [videoId, t.id] as const))).map(([, tagId]) => tagId));
    const added = tags.filter((t) => linked.has(t.id));
    if (added.length > 0) {
      await this.followUps.videosChanged([videoId]);
      await this.audit.record({ actor, action: "video.tags", target: { type: "video", id: videoId },
        before: names(before.tags), after: [...names(before.tags), ...names(added)] });
    }
    return { added, already: tags.filter((t) => !linked.has(t.id)), problems };
  }

  /** Takes one tag off a video; false when it was not there (someone else removed it first). */
  async removeTag(videoId: number, tagId: number, actor: Actor): Promise<boolean> {
    requirePermission(actor, "tag");
    const before = await this.video(videoId);
    if (before === null) return false;
    const removed = await this.store.unlink([[videoId, tagId]]);
    if (removed.length === 0) return false;
    await this.followUps.videosChanged([videoId]);
    await this.audit.record({ actor, action: "video.tags", target: { type: "video", id: videoId },
      before: names(before.tags), after: names(before.tags.filter((t) => t.id !== tagId)) });
    return true;
  }

  /** Sets or clears a video's category. */
  async setCategory(videoId: number, category: { id: number; name: string } | null, actor: Actor): Promise<CategoryChange> {
    requirePermission(actor, "categorise");
    const before = await this.video(videoId);
    if (before === null) return "missing";
    if ((before.category?.id ?? null) === (category?.id ?? null)) return "unchanged";
    await this.store.setCategories(new Map([[videoId, category?.id ?? null]]), this.clock.now());
    await this.followUps.videosChanged([videoId]);
    await this.audit.record({ actor, action: "video.category", target: { type: "video", id: videoId },
      before: before.category?.name ?? null, after: category?.name ?? null });
    if (category !== null) await this.followUps.categorySet([videoId]);
    return "changed";
  }

  /** Tags to offer for a video: the most used ones it lacks, and words of its file name that are not tags yet. */
  async suggestionsFor(video: VideoDetails, limit: number): Promise<{ tags: TagInfo[]; words: string[] }> {
    const has = new Set(video.tags.map((t) => tagKey(t.name)));
    const tags = (await this.store.popularTags(limit + has.size)).filter((t) => !has.has(t.key)).slice(0, limit);
    // Only words that can be tags (a run of 41 letters in a file name cannot) are offered.
    const offered = nameWords(video.fileName).filter((w) => cleanTagName(w).ok && !has.has(w) && !tags.some((t) => t.key === w));
    return { tags, words: offered.slice(0, limit) };
  }

  /** Which of these typed names are new tags, with the existing tags they may have meant. */
  async unknownWithCompletions(typed: readonly string[], limit: number): Promise<{ name: string; matches: TagInfo[] }[]> {
    const cleaned = typed.map(cleanTagName).flatMap((c) => (c.ok ? [c] : []));
    const known = new Set((await this.store.tagsByKey(cleaned.map((c) => c.key))).map((t) => t.key));
    const out: { name: string; matches: TagInfo[] }[] = [];
    for (const c of cleaned) {
      if (known.has(c.key)) continue;
      const matches = await this.store.tagsStartingWith(c.key, limit);
      if (matches.length > 0) out.push({ name: c.name, matches });
    }
    return out;
  }

  /** The tags these videos carry, with how many of them carry each, most first. */
  tagsAmong(videoIds: readonly number[], limit: number): Promise<(TagInfo & { among: number })[]> {
    return this.store.tagsAmong(videoIds, limit);
  }

  tag(id: number): Promise<TagInfo | null> {
    return this.store.tag(id);
  }

  /** The tag library, most used first. */
  listTags(offset: number, limit: number): Promise<{ tags: TagInfo[]; total: number }> {
    return this.store.listTags(offset, limit);
  }

  /** Renames a tag everywhere; renaming it to another tag's name merges the two. */
  async renameTag(id: number, newName: string, actor: Actor): Promise<RenameOutcome> {
    requirePermission(actor, "tag");
    const tag = await this.store.tag(id);
    if (tag === null) return { kind: "missing" };
    const clean = cleanTagName(newName);
    if (!clean.ok) return { kind: "invalid", problem: clean.problem };
    if (clean.name === tag.name) return { kind: "unchanged" };
    const [other] = await this.store.tagsByKey([clean.key]);
    if (other !== undefined && other.id !== tag.id) {
      const videos = await this.store.mergeTag(tag.id, other.id);
      await this.followUps.videosChanged(videos);
      await this.audit.record({ actor, action: "tag.merge", target: { type: "tag", id: other.id }, before: { from: tag.name, into: other.name }, after: { videos: videos.length } });
      await this.audit.recordMany(videos.map((v) => ({ actor, action: "video.tag-merged", target: { type: "video", id: v }, before: tag.name, after: other.name })));
      return { kind: "merged", into: other, videos: videos.length };
    }
    await this.followUps.videosChanged(await this.store.renameTag(tag.id, clean.name, clean.key));
    await this.audit.record({ actor, action: "tag.rename", target: { type: "tag", id: tag.id }, before: tag.name, after: clean.name });
    return { kind: "renamed", tag: { id: tag.id, name: clean.name } };
  }
}

/** Words of a file name worth offering as tags: letters only, three or more, not a video's usual noise. */
export function nameWords(fileName: string): string[] {
  const stem = fileName.replace(/\.[^.]*$/u, "");
  return [...new Set(words(stem).filter((w) => /^\p{L}{3,}$/u.test(w) && !NOISE.has(w)))];
}

const NOISE = new Set(["mp4", "final", "copy", "part", "the", "and", "video", "lecture", "lec"]);
