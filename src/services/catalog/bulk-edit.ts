import { actorId, type Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import type { AuditEntry, AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import type { CatalogStore, Link, TagRef } from "./catalog-store.js";
import { cleanTagName, type TagNameProblem } from "./tag-names.js";
import { NO_FOLLOW_UPS, type VideoChanges } from "../follow-up/video-follow-ups.js";

/** What undoing a bulk action does. */
export type BulkUndo =
  | { readonly kind: "unlink"; readonly links: readonly Link[] }
  | { readonly kind: "link"; readonly links: readonly Link[] }
  | { readonly kind: "categories"; readonly before: readonly (readonly [videoId: number, categoryId: number | null])[] };

export interface BulkRecord {
  readonly id: number;
  readonly actorId: string;
  readonly kind: "tag" | "untag" | "category";
  readonly summary: string;
  readonly undo: BulkUndo;
  readonly createdAt: number;
}

export interface BulkStore {
  save(record: Omit<BulkRecord, "id">): Promise<number>;
  /** The newest bulk action of this person that has not been undone. */
  lastOf(actorId: string): Promise<BulkRecord | null>;
  /** Marks it undone; false when it already was (a double tap, or two devices). */
  markUndone(id: number, now: number): Promise<boolean>;
}

export interface BulkOutcome {
  readonly bulkId: number | null;
  /** Videos whose tags or category changed. */
  readonly changed: number;
  readonly problems: readonly TagNameProblem[];
}

/** Tag, untag or categorise many videos at once, each with one undo. */
export class BulkEditService {
  /** `followUps`: every change here is followed by the search and card refresh of the videos it touched. */
  constructor(private readonly store: CatalogStore, private readonly bulk: BulkStore, private readonly audit: AuditService, private readonly clock: Clock,
    private readonly followUps: VideoChanges = NO_FOLLOW_UPS) {}

  /** Adds the typed tags to every video. */
  async tagAll(videoIds: readonly number[], typed: readonly string[], actor: Actor): Promise<BulkOutcome & { tags: readonly TagRef[] }> {
    requirePermission(actor, "tag");
    const problems: TagNameProblem[] = [];
    const wanted = new Map<string, string>();
    for (const raw of typed) {
      const clean = cleanTagName(raw);
      if (!clean.ok) problems.push(clean.problem);
      else wanted.set(clean.key, clean.name);
    }
    const tags = await this.store.ensureTags([...wanted].map(([key, name]) => ({ key, name })), this.clock.now());
    const added = await this.store.link(videoIds.flatMap((v) => tags.map((t) => [v, t.id] as const)));
    await this.followUps.videosChanged(added.map(([v]) => v));
    const label = tags.map((t) => t.name).join(", ");
    const bulkId = await this.finish(actor, "tag", `tagged ${countOf(added)} videos with ${label}`, { kind: "unlink", links: added },
      added.map(([v, t]) => ({ actor, action: "video.tags", target: { type: "video", id: v }, before: null, after: { added: tags.find((x) => x.id === t)?.name } })));
    return { bulkId, changed: countOf(added), problems, tags };
  }

  /** Takes one tag off every video. */
  async untagAll(videoIds: readonly number[], tag: TagRef, actor: Actor): Promise<BulkOutcome> {
    requirePermission(actor, "tag");
    const removed = await this.store.unlink(videoIds.map((v) => [v, tag.id] as const));
    await this.followUps.videosChanged(removed.map(([v]) => v));
    const bulkId = await this.finish(actor, "untag", `removed ${tag.name} from ${removed.length} videos`, { kind: "link", links: removed },
      removed.map(([v]) => ({ actor, action: "video.tags", target: { type: "video", id: v }, before: { removed: tag.name }, after: null })));
    return { bulkId, changed: removed.length, problems: [] };
  }

  /** Sets (or clears) the category of every video. */
  async categoryForAll(videoIds: readonly number[], category: { id: number; name: string } | null, actor: Actor, names: ReadonlyMap<number, string>): Promise<BulkOutcome> {
    requirePermission(actor, "categorise");
    const current = await this.store.categoriesOf(videoIds);
    const before = [...current].filter(([, c]) => c !== (category?.id ?? null));
    await this.store.setCategories(new Map(before.map(([v]) => [v, category?.id ?? null])), this.clock.now());
    if (category !== null) await this.followUps.categorySet(before.map(([v]) => v));
    await this.followUps.videosChanged(before.map(([v]) => v));
    const bulkId = await this.finish(actor, "category", `set the category of ${before.length} videos to ${category?.name ?? "none"}`, { kind: "categories", before },
      before.map(([v, c]) => ({ actor, action: "video.category", target: { type: "video", id: v }, before: c === null ? null : names.get(c) ?? null, after: category?.name ?? null })));
    return { bulkId, changed: before.length, problems: [] };
  }

  /** Undoes this person's last bulk action; null when there is none left. */
  async undoLast(actor: Actor): Promise<{ summary: string; changed: number } | null> {
    requirePermission(actor, "tag");
    const last = await this.bulk.lastOf(actorId(actor));
    if (last === null || !(await this.bulk.markUndone(last.id, this.clock.now()))) return null;
    const undo = last.undo;
    let touched: number[];
    switch (undo.kind) {
      case "unlink": touched = (await this.store.unlink(undo.links)).map(([v]) => v); break;
      case "link": touched = (await this.store.link(undo.links)).map(([v]) => v); break;
      case "categories": {
        await this.store.setCategories(new Map(undo.before.map(([v, c]) => [v, c])), this.clock.now());
        await this.followUps.categorySet(undo.before.filter(([, c]) => c !== null).map(([v]) => v));
        touched = undo.before.map(([v]) => v);
        break;
      }
    }
    await this.followUps.videosChanged(touched);
    const changed = new Set(touched).size;
    await this.audit.record({ actor, action: "bulk.undo", target: { type: "bulk", id: last.id }, before: last.summary, after: { changed } });
    return { summary: last.summary, changed };
  }

  private async finish(actor: Actor, kind: BulkRecord["kind"], summary: string, undo: BulkUndo, perVideo: AuditEntry[]): Promise<number | null> {
    if (perVideo.length === 0) return null;
    const id = await this.bulk.save({ actorId: actorId(actor), kind, summary, undo, createdAt: this.clock.now() });
    // One event for the action, and one per video so that each video's history shows it.
    await this.audit.record({ actor, action: `bulk.${kind}`, target: { type: "bulk", id }, after: { summary, videos: perVideo.length } });
    await this.audit.recordMany(perVideo);
    return id;
  }
}

const countOf = (links: readonly Link[]): number => new Set(links.map(([v]) => v)).size;
