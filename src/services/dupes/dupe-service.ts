import { basename, dirname, join } from "node:path";
import type { Actor } from "../people/actor.js";
import { requirePermission } from "../people/permissions.js";
import { actorId } from "../people/actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import { isPlayableMp4 } from "../conversion/plan.js";
import type { FileStamp, MediaTool } from "../conversion/ports.js";
import type { SettingsService } from "../settings/settings.js";
import { formatBytes, formatDuration } from "../shared/units.js";
import type { DupeFiles, DupeStore, FileMove, ShownPair } from "./dupe-ports.js";
import { pairSafety, type PairSafety } from "./file-identity.js";
import { pairKey, sameFingerprint, tsMp4Pairs, type CandidatePair, type DupeVideo } from "./pairs.js";
import { comparisonTime, labelDuration, pairPictureSpec } from "./picture-args.js";
import { NO_FOLLOW_UPS, type VideoChanges } from "../follow-up/video-follow-ups.js";

export interface DupeServiceDeps {
  readonly store: DupeStore;
  readonly files: DupeFiles;
  readonly tool: MediaTool;
  readonly audit: AuditService;
  readonly settings: SettingsService;
  readonly clock: Clock;
  readonly folders: { readonly trash: string; readonly archive: string; readonly temp: string };
  /** Queues a conversion of the pair's original (the "convert" choice). */
  readonly convert: (videoId: number, actor: Actor) => Promise<boolean>;
  /** Search and cards of the videos a move changes (the one moved away, and the one that takes its tags). */
  readonly followUps?: VideoChanges;
}

/** A shown pair with both files' details. */
export interface PairView {
  readonly pair: ShownPair;
  readonly remove: DupeVideo;
  readonly keep: DupeVideo;
  /** Links and hard links between the two paths, checked on disk when the view was made. */
  readonly safety: PairSafety;
}

export type PairAction = "delete" | "archive" | "keep" | "convert";

export type ActOutcome =
  | { readonly kind: "done"; readonly action: PairAction; readonly moveId: number | null; readonly to: string | null }
  | { readonly kind: "changed"; readonly fileName: string }
  | { readonly kind: "resolved"; readonly resolution: string }
  | { readonly kind: "expired" }
  | { readonly kind: "failed"; readonly reason: string };

const DAY_MS = 86_400_000;
const sameStamp = (a: FileStamp | null, b: FileStamp): boolean => a !== null && a.size === b.size && Math.abs(a.mtimeMs - b.mtimeMs) <= 1;

/** One line about a file, for a caption or a label: size, duration, resolution. */
export function fileFacts(v: DupeVideo): string {
  return [formatBytes(v.sizeBytes), v.durationS === null ? "?" : formatDuration(v.durationS), v.width === null ? "?" : `${v.width}x${v.height}`].join(" | ");
}

/** Finds .ts/.mp4 pairs and exact copies, shows them, and cleans up with trash, archive, undo and audit. */
export class DupeService {
  constructor(private readonly deps: DupeServiceDeps) {}

  /** Looks for duplicates now; exact copies are confirmed by a full hash (cached while the file is unchanged). */
  async find(): Promise<{ listedAt: number; pairs: PairView[] }> {
    const { store } = this.deps;
    const videos = await store.candidates();
    const kept = await store.keptPairs();
    const candidates = [...tsMp4Pairs(videos), ...sameFingerprint(videos)]
      .filter((p) => !kept.has(pairKey(p.remove.id, p.keep.id).join(":")));
    const seen = new Set<string>();
    const confirmed: (CandidatePair & { safety: PairSafety })[] = [];
    for (const c of candidates) {
      const key = pairKey(c.remove.id, c.keep.id).join(":");
      if (seen.has(key)) continue;
      seen.add(key);
      const safety = await this.safetyOf(c.remove, c.keep);
      // One file under two names needs no full read to know the content is the same.
      if (c.kind === "exact" && safety.deletable && !(await this.sameContent(c.remove, c.keep))) continue;
      confirmed.push({ ...c, safety });
    }
    const now = this.deps.clock.now();
    // A pair whose A is not safe to delete is never "verified", so "apply to all" leaves it alone.
    const saved = await store.saveListing(confirmed.map((c) => ({
      kind: c.kind, removeId: c.remove.id, keepId: c.keep.id, verified: c.safety.deletable && (c.kind === "exact" || isPlayableMp4({ ...c.keep, status: "indexed", mediaKind: "video" })),
      removeStamp: { size: c.remove.sizeBytes, mtimeMs: c.remove.mtimeMs }, keepStamp: { size: c.keep.sizeBytes, mtimeMs: c.keep.mtimeMs },
    })), now);
    return { listedAt: now, pairs: saved.flatMap((pair, i) => { const c = confirmed[i]; return c === undefined ? [] : [{ pair, remove: c.remove, keep: c.keep, safety: c.safety }]; }) };
  }

  /** A shown pair with fresh details, or null when it is gone. */
  async view(pairId: number): Promise<PairView | null> {
    const pair = await this.deps.store.pair(pairId);
    if (pair === null) return null;
    const [remove, keep] = await this.deps.store.videos([pair.removeId, pair.keepId]);
    return remove === undefined || keep === undefined ? null : { pair, remove, keep, safety: await this.safetyOf(remove, keep) };
  }

  /** The next unresolved pair of the same listing. */
  async next(pairId: number): Promise<PairView | null> {
    const pair = await this.deps.store.pair(pairId);
    const next = pair === null ? null : await this.deps.store.nextInListing(pair);
    return next === null ? null : this.view(next.id);
  }

  /** Verified, unresolved pairs of a listing (what "apply to all" acts on). */
  async verifiedIn(listedAt: number): Promise<ShownPair[]> {
    return (await this.deps.store.unresolvedInListing(listedAt)).filter((p) => p.verified);
  }

  /** A frame of each file side by side, with size, duration and resolution under each; null when ffmpeg cannot make it. */
  async picture(view: PairView): Promise<string | null> {
    const at = comparisonTime(Math.min(view.remove.durationS ?? 0, view.keep.durationS ?? 0));
    const sides = [view.remove, view.keep].map((v, i) => ({ path: v.path, atS: at, label: `${i === 0 ? "A" : "B"} ${v.extension} ${formatBytes(v.sizeBytes)} | ${labelDuration(v.durationS)} | ${v.width ?? "?"}x${v.height ?? "?"}` }));
    const output = join(this.deps.folders.temp, `pair-${view.pair.id}-${this.deps.clock.now()}.jpg`);
    for (const withText of [true, false]) {
      // Without a usable font the labelled picture fails; the caption carries the same facts.
      const outcome = await this.deps.tool.run(pairPictureSpec(sides[0] as never, sides[1] as never, output, withText));
      if (outcome.ok) return output;
    }
    return null;
  }

  /** Removes a picture once it was sent. */
  async discardPicture(path: string): Promise<void> {
    await this.deps.files.remove(path);
  }

  /** Acts on one pair, unless a file changed since it was shown. */
  async act(pairId: number, action: PairAction, actor: Actor): Promise<ActOutcome> {
    requirePermission(actor, "delete");
    const view = await this.view(pairId);
    if (view === null) return { kind: "expired" };
    if (view.pair.resolution !== null) return { kind: "resolved", resolution: view.pair.resolution };
    for (const [v, stamp] of [[view.remove, view.pair.removeStamp], [view.keep, view.pair.keepStamp]] as const) {
      if (!sameStamp(await this.deps.files.stamp(v.path), stamp)) return { kind: "changed", fileName: v.fileName };
    }
    const now = this.deps.clock.now();
    const target = { type: "video", id: view.remove.id };
    switch (action) {
      case "keep": {
        const [low, high] = pairKey(view.remove.id, view.keep.id);
        await this.deps.store.keepBoth(low, high, actorId(actor), now);
        await this.deps.store.resolve(pairId, "kept both", now);
        await this.deps.audit.record({ actor, action: "dupes.keep_both", target, after: { with: view.keep.id, kind: view.pair.kind } });
        return { kind: "done", action, moveId: null, to: null };
      }
      case "convert": {
        if (!(await this.deps.convert(view.remove.id, actor))) return { kind: "failed", reason: "it is already queued or cannot be converted" };
        await this.deps.store.resolve(pairId, "conversion queued", now);
        return { kind: "done", action, moveId: null, to: null };
      }
      case "delete":
      case "archive":
        return this.moveAway(view, action, actor, now);
    }
  }

  private async moveAway(view: PairView, action: "delete" | "archive", actor: Actor, now: number): Promise<ActOutcome> {
    const { files, store, folders } = this.deps;
    const v = view.remove;
    // Checked again right before the move: B must still be a real file of its own, not a link to A nor A under another name.
    const safety = await this.safetyOf(v, view.keep);
    if (!safety.deletable) return { kind: "failed", reason: safety.note ?? "B is not a copy of its own" };
    let to = action === "delete" ? join(folders.trash, `${now}-${v.id}`, basename(v.path)) : join(folders.archive, v.relativePath);
    for (let n = 2; action === "archive" && (await files.exists(to)); n++) to = join(folders.archive, `${v.relativePath} (${n})`);
    try {
      await files.move(v.path, to);
    } catch (err) {
      return { kind: "failed", reason: `the file could not be moved: ${(err as Error).message}` };
    }
    const expiresAt = action === "delete" ? now + this.deps.settings.current.trashDays * DAY_MS : null;
    const reason = action === "delete" ? `moved to the trash (duplicate of ${view.keep.fileName})` : `moved to the archive (duplicate of ${view.keep.fileName})`;
    let recorded: { id: number; heirGotCategory: boolean };
    try {
      recorded = await store.recordMove({ videoId: v.id, kind: action === "delete" ? "trash" : "archive", fromPath: v.path, toPath: to,
        stamp: view.pair.removeStamp, movedAt: now, expiresAt }, view.keep.id, actorId(actor), reason);
    } catch (err) {
      await files.move(to, v.path);
      throw err;
    }
    const followUps = this.deps.followUps ?? NO_FOLLOW_UPS;
    await followUps.videosChanged([v.id, view.keep.id]);
    // The file kept took the removed one's category: the same auto-publish check as any category set.
    if (recorded.heirGotCategory) await followUps.categorySet([view.keep.id]);
    const moveId = recorded.id;
    await store.resolve(view.pair.id, action === "delete" ? "deleted" : "archived", now);
    await this.deps.audit.record({ actor, action: action === "delete" ? "dupes.trash" : "dupes.archive", target: { type: "video", id: v.id },
      before: { path: v.path }, after: { path: to, kept: view.keep.path, kind: view.pair.kind } });
    return { kind: "done", action, moveId, to };
  }

  /** Applies delete or archive to every verified, unresolved pair of a listing; pairs whose files changed are skipped. */
  async applyAll(listedAt: number, action: "delete" | "archive", actor: Actor): Promise<{ done: number; skipped: number }> {
    requirePermission(actor, "delete");
    let done = 0;
    let skipped = 0;
    for (const pair of await this.verifiedIn(listedAt)) {
      const outcome = await this.act(pair.id, action, actor);
      if (outcome.kind === "done") done++;
      else skipped++;
    }
    await this.deps.audit.record({ actor, action: "dupes.apply_all", after: { action, done, skipped } });
    return { done, skipped };
  }

  /** Files in the trash or the archive, newest first, that can still be restored. */
  recentMoves(limit = 10): Promise<FileMove[]> {
    return this.deps.store.recentMoves(limit);
  }

  /** Puts a moved file back where it was, if that place is still free. */
  async undo(moveId: number, actor: Actor): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
    requirePermission(actor, "delete");
    const move = await this.deps.store.move(moveId);
    if (move === null) return { ok: false, reason: "it was already restored, or removed for good" };
    if (await this.deps.files.exists(move.fromPath)) return { ok: false, reason: "another file is now at its old place" };
    if (!sameStamp(await this.deps.files.stamp(move.toPath), move.stamp)) return { ok: false, reason: "the moved file is gone or changed" };
    await this.deps.files.move(move.toPath, move.fromPath);
    if (move.kind === "trash") await this.deps.files.removeEmptyFolder(dirname(move.toPath));
    await this.deps.store.undoMove(moveId, this.deps.clock.now());
    await (this.deps.followUps ?? NO_FOLLOW_UPS).videosChanged([move.videoId]);
    await this.deps.audit.record({ actor, action: "dupes.restore", target: { type: "video", id: move.videoId }, before: { path: move.toPath }, after: { path: move.fromPath } });
    return { ok: true, path: move.fromPath };
  }

  /** Removes trashed files whose days are up; returns how many. */
  async purgeExpired(): Promise<number> {
    const expired = await this.deps.store.expiredTrash(this.deps.clock.now());
    for (const move of expired) {
      await this.deps.files.remove(move.toPath);
      await this.deps.files.removeEmptyFolder(dirname(move.toPath));
      await this.deps.store.markPurged(move.id, this.deps.clock.now());
      await this.deps.audit.record({ actor: { kind: "system", name: "trash" }, action: "dupes.purge", target: { type: "video", id: move.videoId }, before: { path: move.toPath } });
    }
    return expired.length;
  }

  private async safetyOf(remove: DupeVideo, keep: DupeVideo): Promise<PairSafety> {
    return pairSafety(await this.deps.files.identity(remove.path), await this.deps.files.identity(keep.path));
  }

  private async sameContent(a: DupeVideo, b: DupeVideo): Promise<boolean> {
    const [ha, hb] = [await this.fullHash(a), await this.fullHash(b)];
    return ha !== null && ha === hb;
  }

  private async fullHash(v: DupeVideo): Promise<string | null> {
    const stamp = await this.deps.files.stamp(v.path);
    if (stamp === null) return null;
    const cached = await this.deps.store.hashOf(v.id, stamp);
    if (cached !== null) return cached;
    const hash = await this.deps.files.sha256(v.path);
    await this.deps.store.saveHash(v.id, stamp, hash, this.deps.clock.now());
    return hash;
  }
}
