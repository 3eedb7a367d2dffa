import { relative, resolve, sep } from "node:path";
import type { Actor } from "../people/actor.js";
import type { DupeService } from "../dupes/dupe-service.js";
import { jobKind, type JobHandler, type Schedule } from "../jobs/job.js";
import { requirePermission } from "../people/permissions.js";
import type { SyncService } from "../sync/sync-service.js";

/** Who moved a file away, and so who puts it back. */
export type TrashSource = "dupes" | "sync";

/** One file vidlib moved to the trash (or, for duplicates, the archive) that can still be put back. */
export interface TrashEntry {
  readonly source: TrashSource;
  readonly id: number;
  readonly where: "trash" | "archive";
  /** Where it was, relative to its library folder ("/"-separated). */
  readonly path: string;
  readonly movedAt: number;
  /** When the trash removes it for good; null in the archive. */
  readonly expiresAt: number | null;
}

export type RestoreResult = { ok: true; path: string } | { ok: false; reason: string };

const DAY_MS = 86_400_000;
// Enough for any real trash; the bot pages through them.
const LISTED = 500;

/** Everything vidlib moved to the trash — duplicate clean-up and sync removals alike — listed and put back in one place. */
export class TrashService {
  constructor(private readonly deps: { dupes: DupeService; sync: SyncService; roots: readonly string[]; trashDays: () => number }) {}

  /** What can be restored, newest first. */
  async entries(actor: Actor): Promise<TrashEntry[]> {
    requirePermission(actor, "delete");
    const [moves, synced] = await Promise.all([this.deps.dupes.recentMoves(LISTED), this.deps.sync.trashed(actor, LISTED)]);
    const days = this.deps.trashDays();
    const entries: TrashEntry[] = [
      ...moves.map((m): TrashEntry => ({ source: "dupes", id: m.id, where: m.kind, path: this.libraryPath(m.fromPath), movedAt: m.movedAt, expiresAt: m.expiresAt })),
      ...synced.map((s): TrashEntry => ({ source: "sync", id: s.itemId, where: "trash", path: this.libraryPath(resolve(s.targetPath, ...s.relPath.split("/"))),
        movedAt: s.movedAt, expiresAt: s.movedAt + days * DAY_MS })),
    ];
    return entries.sort((a, b) => b.movedAt - a.movedAt || b.id - a.id);
  }

  /** Puts one entry back where it was; refuses when another file is there now or the entry is gone. */
  async restore(actor: Actor, source: TrashSource, id: number): Promise<RestoreResult> {
    const result = source === "dupes" ? await this.deps.dupes.undo(id, actor) : await this.deps.sync.restore(actor, id);
    return result.ok ? { ok: true, path: this.libraryPath(result.path) } : result;
  }

  /** Removes for good what has been in the trash longer than the trash days (clean-up's and sync's); returns how many. */
  async purgeExpired(): Promise<number> {
    const counts = await Promise.all([this.deps.dupes.purgeExpired(), this.deps.sync.purgeExpiredTrash()]);
    return counts.reduce((a, b) => a + b, 0);
  }

  /** A path as people know it: relative to the library folder it is in. */
  private libraryPath(path: string): string {
    const root = this.deps.roots.map((r) => resolve(r)).find((r) => path.startsWith(r.endsWith(sep) ? r : r + sep));
    return (root === undefined ? path : relative(root, path)).split(sep).join("/");
  }
}

/** The trash purge as a job: one at a time, retried a few times when a share is briefly away. */
export const TRASH_PURGE = jobKind<null>({ name: "trash.purge", maxAttempts: 3, backoffMs: [60_000, 300_000], leaseMs: 15 * 60_000 });

/** Every hour on the hour; a slot missed while vidlib was down runs at the next start. */
export const TRASH_PURGE_SCHEDULE: Schedule<null> = { name: "trash-purge-hourly", pattern: "0 * * * *", kind: TRASH_PURGE, payload: () => null };

/** Runs a purge, and says how many files it removed. */
export function purgeTrashJob(trash: TrashService, logger: { info(fields: object, message: string): void }): JobHandler<null> {
  return async () => {
    const removed = await trash.purgeExpired();
    if (removed > 0) logger.info({ removed }, "expired files removed from the trash");
  };
}
