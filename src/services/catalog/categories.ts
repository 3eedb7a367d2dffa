import type { Category } from "../../entities/category.js";
import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import { NO_FOLLOW_UPS, type VideoChanges } from "../follow-up/video-follow-ups.js";

export const DEFAULT_AUDIENCES = ["students", "staff"] as const;
const MAX_NAME = 64;

export interface CategoryStore {
  findByKey(key: string): Promise<Category | null>;
  byId(id: number): Promise<Category | null>;
  insert(category: Omit<Category, "id">): Promise<Category>;
  list(): Promise<Category[]>;
  rename(id: number, name: string, key: string): Promise<void>;
  setReviewFirst(id: number, on: boolean): Promise<void>;
  /** Videos in each category, by category id. */
  usage(): Promise<Map<number, number>>;
  videoIdsIn(id: number): Promise<number[]>;
  /** Moves every video of `fromId` to `toId` (null: no category) and deletes `fromId`, in one transaction. */
  reassignAndDelete(fromId: number, toId: number | null, now: number): Promise<void>;
}

export type RenameCategoryResult = { readonly ok: true; readonly category: Category } | { readonly ok: false; readonly problem: CategoryProblem | { readonly kind: "missing" } };

export type DeleteCategoryResult =
  | { readonly kind: "deleted"; readonly moved: number }
  | { readonly kind: "in-use"; readonly videos: number }
  | { readonly kind: "missing" };

export type CategoryProblem =
  | { readonly kind: "empty-name" }
  | { readonly kind: "name-too-long"; readonly max: number }
  | { readonly kind: "bad-audience" }
  | { readonly kind: "exists"; readonly existing: string };

export type CreateResult = { readonly ok: true; readonly category: Category } | { readonly ok: false; readonly problem: CategoryProblem };

export const categoryKey = (name: string): string => name.trim().replace(/\s+/g, " ").toLocaleLowerCase("en");

/** Audiences are short lower-case labels such as "students" or "staff". */
export function normaliseAudience(raw: string): string | null {
  const audience = raw.trim().toLocaleLowerCase("en");
  return /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,31}$/u.test(audience) ? audience : null;
}

/** What is wrong with a proposed category name, or null when it is fine. */
export function categoryNameProblem(name: string): CategoryProblem | null {
  const cleaned = name.trim().replace(/\s+/g, " ");
  if (cleaned === "") return { kind: "empty-name" };
  if ([...cleaned].length > MAX_NAME) return { kind: "name-too-long", max: MAX_NAME };
  return null;
}

/** Creates, lists, renames and deletes the library's categories. */
export class CategoryService {
  /** `followUps`: a rename or a delete is followed by the search and card refresh of the videos in the category. */
  constructor(private readonly store: CategoryStore, private readonly audit: AuditService, private readonly clock: Clock,
    private readonly followUps: VideoChanges = NO_FOLLOW_UPS) {}

  /** Creates a category with an audience, unless the name is invalid or taken. */
  async create(name: string, audienceRaw: string, actor: Actor): Promise<CreateResult> {
    requirePermission(actor, "categories");
    const problem = categoryNameProblem(name);
    if (problem !== null) return { ok: false, problem };
    const audience = normaliseAudience(audienceRaw);
    if (audience === null) return { ok: false, problem: { kind: "bad-audience" } };
    const displayName = name.trim().replace(/\s+/g, " ");
    const existing = await this.store.findByKey(categoryKey(displayName));
    if (existing !== null) return { ok: false, problem: { kind: "exists", existing: existing.name } };
    const category = await this.store.insert({ name: displayName, key: categoryKey(displayName), audience, reviewFirst: false, createdAt: this.clock.now() });
    await this.audit.record({ actor, action: "category.create", target: { type: "category", id: category.id }, after: { name: category.name, audience } });
    return { ok: true, category };
  }

  /** Turns "review first" on or off: uploads of the category then go to the review chat as drafts. */
  async setReviewFirst(id: number, on: boolean, actor: Actor): Promise<Category | null> {
    requirePermission(actor, "categories");
    const category = await this.store.byId(id);
    if (category === null) return null;
    if (category.reviewFirst === on) return category;
    await this.store.setReviewFirst(id, on);
    await this.audit.record({ actor, action: "category.review-first", target: { type: "category", id }, before: category.reviewFirst, after: on });
    return { ...category, reviewFirst: on };
  }

  /** Whether a name is already used by a category (case-insensitively). */
  async exists(name: string): Promise<boolean> {
    return (await this.store.findByKey(categoryKey(name))) !== null;
  }

  /** All categories, by name. */
  list(): Promise<Category[]> {
    return this.store.list();
  }

  byId(id: number): Promise<Category | null> {
    return this.store.byId(id);
  }

  /** How many videos each category holds. */
  usage(): Promise<Map<number, number>> {
    return this.store.usage();
  }

  /** Renames a category; its audience stays. */
  async rename(id: number, name: string, actor: Actor): Promise<RenameCategoryResult> {
    requirePermission(actor, "categories");
    const category = await this.store.byId(id);
    if (category === null) return { ok: false, problem: { kind: "missing" } };
    const problem = categoryNameProblem(name);
    if (problem !== null) return { ok: false, problem };
    const displayName = name.trim().replace(/\s+/g, " ");
    const existing = await this.store.findByKey(categoryKey(displayName));
    if (existing !== null && existing.id !== id) return { ok: false, problem: { kind: "exists", existing: existing.name } };
    await this.store.rename(id, displayName, categoryKey(displayName));
    await this.followUps.videosChanged(await this.store.videoIdsIn(id));
    await this.audit.record({ actor, action: "category.rename", target: { type: "category", id }, before: category.name, after: displayName });
    return { ok: true, category: { ...category, name: displayName, key: categoryKey(displayName) } };
  }

  /**
   * Deletes a category. One that videos use is deleted only with somewhere to move them (`moveTo`:
   * another category's id, or null for none), so no video silently loses its audience.
   */
  async delete(id: number, actor: Actor, moveTo?: number | null): Promise<DeleteCategoryResult> {
    requirePermission(actor, "categories");
    const category = await this.store.byId(id);
    if (category === null) return { kind: "missing" };
    const videos = await this.store.videoIdsIn(id);
    if (videos.length > 0 && moveTo === undefined) return { kind: "in-use", videos: videos.length };
    const target = moveTo === undefined || moveTo === null ? null : await this.store.byId(moveTo);
    if (moveTo !== undefined && moveTo !== null && (target === null || target.id === id)) return { kind: "missing" };
    await this.store.reassignAndDelete(id, target?.id ?? null, this.clock.now());
    if (target !== null) await this.followUps.categorySet(videos);
    await this.followUps.videosChanged(videos);
    await this.audit.recordMany(videos.map((v) => ({ actor, action: "video.category", target: { type: "video", id: v }, before: category.name, after: target?.name ?? null })));
    await this.audit.record({ actor, action: "category.delete", target: { type: "category", id }, before: { name: category.name, audience: category.audience },
      after: { movedTo: target?.name ?? null, videos: videos.length } });
    return { kind: "deleted", moved: videos.length };
  }
}
