import { isAbsolute, join, resolve, sep } from "node:path";
import { actorId, type Actor } from "../actor.js";
import type { AuditService } from "../audit.js";
import type { Clock } from "../clock.js";
import { requirePermission } from "../permissions.js";
import type { RuntimeSettings } from "../settings.js";
import type { FolderProblem, SyncFiles, SyncFolder, SyncRun, SyncStore, TrashedSyncFile } from "./ports.js";
import type { AdminNotifier } from "../notifier.js";
import { planSync, removalGuard, syncTrashFolder, type SyncPlan } from "./sync-plan.js";
import { SyncRunner, type SyncReporter } from "./sync-runner.js";
import { folderTitle, type SyncPreview } from "./sync-report.js";

export interface SyncDeps {
  readonly store: SyncStore;
  readonly files: SyncFiles;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly settings: () => RuntimeSettings;
  readonly reporter: SyncReporter;
  /** The library folders: a sync target must be inside one of them. */
  readonly roots: readonly string[];
  readonly trashDir: string;
  readonly concurrency: number;
  /** Target paths (relative, "/"-separated) of files vidlib made itself, which a sync never removes. */
  readonly madeByVidlib: (targetPath: string) => Promise<Set<string>>;
  /** Told when a run changed the library, so it is scanned. */
  readonly changed: () => void;
  /** This process, as recorded on the runs it works on. */
  readonly owner: string;
  /** Told when a sync held back its removals because the source looks unmounted. */
  readonly notifier: AdminNotifier;
  /** The scanner's unmount rule: the largest share of a library folder's files a sync may remove at once (0–1). */
  readonly maxMissingShare: number;
  /** A source file modified less than this long ago may still be being written; it is left for a later run. */
  readonly settleMs: number;
  /** Whether the process named by an owner is known to have ended (it ran on this machine and is gone). */
  readonly ownerGone: (owner: string) => boolean;
}

/** How a run treats files that left the source: show a preview and wait, keep them, or move them to the trash (within the cap). */
export type RemovalMode = "preview" | "none" | "apply";

export type RegisterResult = { ok: true; folder: SyncFolder } | { ok: false; problem: string };
export type StartResult =
  /** `resumed`: the folder's interrupted run (its process had ended) was taken over instead of starting a new one. */
  | { kind: "started"; runId: number; done: Promise<SyncRun | null>; resumed: boolean }
  /** Another live process is syncing the folder: who, and when it was last heard from. */
  | { kind: "busy"; owner: string | null; heartbeatAt: number | null }
  | { kind: "unknown" };
export type ConfirmResult = { kind: "started"; done: Promise<SyncRun | null> } | { kind: "cancelled" } | { kind: "stale" } | { kind: "over-cap"; cap: number } | { kind: "busy" };

const PROBLEM_TEXT: Record<FolderProblem, string> = {
  missing: "does not exist (is the share mounted?)",
  "not-a-folder": "is not a folder",
  unreadable: "cannot be read by vidlib",
};
// A process that has not written its heartbeat for this long has stopped: its runs are taken over.
export const STALE_AFTER_MS = 60_000;
// How often a process says it is still at work on a run, whatever the run is doing (planning a large folder, a slow copy).
export const HEARTBEAT_EVERY_MS = 2000;

const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** Source folders mirrored into the library: registration, previews, runs, resuming after a restart, and the trash. */
export class SyncService {
  private readonly runner: SyncRunner;
  private readonly active = new Map<number, AbortController>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: SyncDeps) {
    this.runner = new SyncRunner(deps);
  }

  /** The registered folders. */
  folders(actor: Actor): Promise<SyncFolder[]> {
    requirePermission(actor, "sync");
    return this.deps.store.folders();
  }

  /** One registered folder, or null when it was forgotten. */
  folder(actor: Actor, id: number): Promise<SyncFolder | null> {
    requirePermission(actor, "sync");
    return this.deps.store.folder(id);
  }

  /** Registers a source folder to mirror into `target`, which must lie inside a library folder. */
  async register(actor: Actor, source: string, target: string): Promise<RegisterResult> {
    requirePermission(actor, "sync");
    if (!isAbsolute(source.trim()) || !isAbsolute(target.trim())) return { ok: false, problem: "both folders must be full paths" };
    const from = resolve(source.trim());
    const to = resolve(target.trim());
    if (this.rootOf(to) === undefined) return { ok: false, problem: "the target must be inside a library folder (LIBRARY_ROOTS)" };
    if (inside(from, to) || inside(to, from)) return { ok: false, problem: "the source and the target must not contain each other" };
    const problem = await this.deps.files.problem(from);
    if (problem !== null) return { ok: false, problem: `the source ${PROBLEM_TEXT[problem]}` };
    if ((await this.deps.store.folders()).some((f) => f.sourcePath === from && f.targetPath === to)) return { ok: false, problem: "this folder is already registered" };
    const folder = await this.deps.store.addFolder(from, to, actorId(actor), this.deps.clock.now());
    await this.deps.audit.record({ actor, action: "sync.folder.add", target: { type: "sync_folder", id: folder.id }, after: { source: from, target: to } });
    return { ok: true, folder };
  }

  /** Forgets a folder; nothing on disk changes. */
  async unregister(actor: Actor, folderId: number): Promise<boolean> {
    requirePermission(actor, "sync");
    const folder = await this.deps.store.folder(folderId);
    if (folder === null || !(await this.deps.store.removeFolder(folderId))) return false;
    await this.deps.audit.record({ actor, action: "sync.folder.remove", target: { type: "sync_folder", id: folderId }, before: { source: folder.sourcePath, target: folder.targetPath } });
    return true;
  }

  /**
   * Starts a sync of one folder: calculates, then copies. Files that left the source are shown as a
   * preview first (`preview`), kept (`none`), or moved to the trash within the cap (`apply`).
   * `message` is the chat message that shows progress.
   */
  async start(actor: Actor, folderId: number, removals: RemovalMode, message?: { chatId: number; messageId: number }): Promise<StartResult> {
    requirePermission(actor, "sync");
    const folder = await this.deps.store.folder(folderId);
    if (folder === null) return { kind: "unknown" };
    const run = await this.deps.store.startRun(folderId, actor, this.deps.owner, this.deps.clock.now());
    if (run === null) return this.takeOverOrBusy(actor, folder, removals, message);
    if (message !== undefined) await this.deps.store.setMessage(run.id, message.chatId, message.messageId);
    await this.deps.audit.record({ actor, action: "sync.start", target: { type: "sync_folder", id: folderId }, after: { run: run.id, removals } });
    const done = this.track(run.id, (signal) => this.planAndRun(run.id, folder, removals, signal));
    return { kind: "started", runId: run.id, done, resumed: false };
  }

  /** The folder already has a run: taken over if its process is gone, otherwise who holds it. */
  private async takeOverOrBusy(actor: Actor, folder: SyncFolder, removals: RemovalMode, message?: { chatId: number; messageId: number }): Promise<StartResult> {
    const [active] = await this.deps.store.activeRuns(folder.id);
    if (active === undefined) return { kind: "busy", owner: null, heartbeatAt: null }; // it ended a moment ago
    if (!this.isOrphaned(active) || !(await this.adopt(active))) return { kind: "busy", owner: active.owner, heartbeatAt: active.heartbeatAt };
    if (message !== undefined) await this.deps.store.setMessage(active.id, message.chatId, message.messageId);
    await this.deps.audit.record({ actor, action: "sync.resume", target: { type: "sync_folder", id: folder.id }, after: { run: active.id, from: active.owner } });
    return { kind: "started", runId: active.id, done: this.resume(active, folder, removals), resumed: true };
  }

  /** Whether a planning or copying run has lost its process: it let go, it is known to have ended, or it went silent. */
  private isOrphaned(run: SyncRun): boolean {
    if (run.owner === null || run.heartbeatAt === null) return true;
    if (run.heartbeatAt < this.deps.clock.now() - STALE_AFTER_MS) return true;
    if (run.owner === this.deps.owner) return !this.active.has(run.id);
    return this.deps.ownerGone(run.owner);
  }

  private adopt(run: SyncRun): Promise<boolean> {
    return this.deps.store.adopt(run.id, { owner: run.owner, heartbeatAt: run.heartbeatAt }, this.deps.owner, this.deps.clock.now());
  }

  /** Carries on with a run taken over: copying goes on where it stopped; planning starts again (`removals` when a person asked now). */
  private resume(run: SyncRun, folder: SyncFolder, removals?: RemovalMode): Promise<SyncRun | null> {
    if (run.state === "copying") return this.track(run.id, (signal) => this.runner.execute(run.id, folder, signal));
    const mode = removals ?? (run.chatId === null ? "none" : "preview");
    return this.track(run.id, (signal) => this.planAndRun(run.id, folder, mode, signal));
  }

  /** A person's answer to a preview: move the removals to the trash, keep them, or drop the sync. */
  async confirm(actor: Actor, runId: number, choice: "apply" | "none" | "cancel"): Promise<ConfirmResult> {
    requirePermission(actor, "sync");
    const run = await this.deps.store.run(runId);
    if (run?.state !== "preview") return { kind: "stale" };
    const folder = await this.deps.store.folder(run.folderId);
    if (folder === null) return { kind: "stale" };
    const now = this.deps.clock.now();
    if (choice === "cancel") {
      await this.deps.store.finish(runId, "cancelled", { copied: 0, removed: 0, failed: 0 }, null, now);
      await this.deps.audit.record({ actor, action: "sync.cancel", target: { type: "sync_folder", id: folder.id }, after: { run: runId } });
      return { kind: "cancelled" };
    }
    const removals = (await this.deps.store.items(runId)).filter((i) => i.action === "remove").length;
    const cap = this.deps.settings().syncMaxDeletions;
    if (choice === "apply" && removals > cap) return { kind: "over-cap", cap };
    // Removals held back by the unmount rule are never applied, even by a stale button or `--delete`: it only copies, and says why.
    const applying = choice === "apply" && run.error === null;
    if (!(await this.deps.store.confirm(runId, applying ? "apply" : "none", this.deps.owner, now))) return { kind: "busy" };
    await this.deps.audit.record({ actor, action: "sync.confirm", target: { type: "sync_folder", id: folder.id }, after: { run: runId, removals: applying ? removals : 0 } });
    const done = this.track(runId, (signal) => this.runner.execute(runId, folder, signal));
    return { kind: "started", done };
  }

  /**
   * Takes over runs whose process is gone (a crash, a kill, Ctrl+C, a restart) and finishes them: at once
   * when that process let go or is known to have ended on this machine, otherwise once its heartbeat is stale.
   */
  async resumeInterrupted(): Promise<number> {
    let resumed = 0;
    for (const run of await this.deps.store.activeRuns()) {
      if (!this.isOrphaned(run)) continue;
      const folder = await this.deps.store.folder(run.folderId);
      if (folder === null || !(await this.adopt(run))) continue;
      await this.deps.audit.record({ actor: run.actor, action: "sync.resume", target: { type: "sync_folder", id: folder.id }, after: { run: run.id, from: run.owner } });
      resumed++;
      void this.resume(run, folder);
    }
    return resumed;
  }

  /**
   * Stops the runs of this process where they are. Once the process has exited, the next start on this
   * machine (the bot, `vidlib sync`, /sync) sees that it is gone and carries on at once.
   */
  async stop(): Promise<void> {
    for (const controller of this.active.values()) controller.abort();
    await Promise.allSettled([...this.running]);
  }

  /** Removes trash folders of syncs whose days are up; returns how many. */
  async purgeExpiredTrash(): Promise<number> {
    const now = this.deps.clock.now();
    const expired = await this.deps.store.expiredTrash(now - this.deps.settings().trashDays * 86_400_000);
    for (const runId of expired) {
      await this.deps.files.removeTree(syncTrashFolder(this.deps.trashDir, runId));
      await this.deps.store.markTrashPurged(runId, now);
      await this.deps.audit.record({ actor: { kind: "system", name: "trash" }, action: "sync.purge", target: { type: "sync_run", id: runId } });
    }
    return expired.length;
  }

  /** Files syncs moved to the trash that can still be put back, newest first. */
  trashed(actor: Actor, limit: number): Promise<TrashedSyncFile[]> {
    requirePermission(actor, "delete");
    return this.deps.store.trashed(limit);
  }

  /** Puts a file a sync moved to the trash back where it was, if that place is still free. */
  async restore(actor: Actor, itemId: number): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
    requirePermission(actor, "delete");
    const item = await this.deps.store.trashedItem(itemId);
    if (item === null) return { ok: false, reason: "it was already restored, or removed for good" };
    const { files } = this.deps;
    const from = join(syncTrashFolder(this.deps.trashDir, item.runId), ...item.relPath.split("/"));
    const to = join(item.targetPath, ...item.relPath.split("/"));
    if ((await files.stat(to)) !== null) return { ok: false, reason: "another file is now at its old place" };
    const now = await files.stat(from);
    if (now === null || now.size !== item.size) return { ok: false, reason: "it is no longer in the trash as it was" };
    await files.restoreFromTrash(from, to);
    await this.deps.store.markRestored(itemId, this.deps.clock.now());
    await this.deps.audit.record({ actor, action: "sync.restore", target: { type: "sync_folder", id: item.folderId }, before: { path: from }, after: { path: to, run: item.runId } });
    this.deps.changed();
    return { ok: true, path: to };
  }

  /** What a sync of the folder would do now, changing nothing (a dry run). */
  async dryRun(actor: Actor, folderId: number, signal?: AbortSignal): Promise<{ ok: true; plan: SyncPlan; guard: string | null; preview: SyncPreview } | { ok: false; why: string }> {
    requirePermission(actor, "sync");
    const folder = await this.deps.store.folder(folderId);
    if (folder === null) return { ok: false, why: "There is no such sync folder." };
    const compared = await this.compare(folder, signal ?? new AbortController().signal);
    if (!compared.ok) return compared;
    const { plan } = compared;
    const settings = this.deps.settings();
    const guard = removalGuard(plan, this.deps.maxMissingShare);
    const preview = { title: folderTitle(folder, this.deps.roots), facts: { ...plan, settling: plan.settling.length, guard }, cap: settings.syncMaxDeletions, trashDays: settings.trashDays };
    return { ok: true, plan, guard, preview };
  }

  /** Settles when every run of this process has ended (the command line waits for this). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Compares the source with the target, or says why they cannot be compared now. */
  private async compare(folder: SyncFolder, signal: AbortSignal): Promise<{ ok: true; plan: SyncPlan } | { ok: false; why: string }> {
    const { files } = this.deps;
    // A target not made yet is made, but only inside a library folder that is there (not on an empty mount point).
    const root = this.rootOf(folder.targetPath);
    if (root !== undefined && (await files.problem(folder.targetPath)) === "missing" && (await files.problem(root)) === null) await files.makeFolder(folder.targetPath);
    for (const [label, path] of [["source", folder.sourcePath], ["target", folder.targetPath]] as const) {
      const problem = await files.problem(path);
      if (problem !== null) return { ok: false, why: `The ${label} folder ${path} ${PROBLEM_TEXT[problem]}.` };
    }
    try {
      const [source, target, keep] = await Promise.all([files.list(folder.sourcePath, signal), files.list(folder.targetPath, signal), this.deps.madeByVidlib(folder.targetPath)]);
      const settle = { now: this.deps.clock.now(), settleMs: this.deps.settleMs };
      return { ok: true, plan: planSync(source.files, target.files, keep, process.platform === "win32", settle) };
    } catch (err) {
      return { ok: false, why: `The folders could not be compared: ${(err as Error).message}.` };
    }
  }

  private rootOf(path: string): string | undefined {
    return this.deps.roots.map((r) => resolve(r)).find((r) => inside(path, r));
  }

  private track(runId: number, work: (signal: AbortSignal) => Promise<SyncRun | null>): Promise<SyncRun | null> {
    const controller = new AbortController();
    this.active.set(runId, controller);
    // Said all through the run, not only while bytes flow: listing a large share or a stalled copy must not look like a dead process.
    const beat = setInterval(() => {
      void this.deps.store.touch(runId, this.deps.owner, this.deps.clock.now()).then((mine) => {
        // Another process took the run over (this one looked dead): stop, so that only one copies.
        if (!mine && this.active.get(runId) === controller) controller.abort();
      }, () => undefined);
    }, HEARTBEAT_EVERY_MS);
    beat.unref();
    const done = work(controller.signal).catch(async (err: unknown) => {
      // The unexpected (a database error): the run ends as failed rather than hanging as active.
      const run = await this.deps.store.run(runId);
      if (run === null) return null;
      return this.runner.fail(run, `sync ${runId}`, `vidlib stopped the sync after an unexpected error: ${(err as Error).message ?? String(err)}`);
    }).finally(() => {
      clearInterval(beat);
      this.active.delete(runId);
      this.running.delete(done);
    });
    this.running.add(done);
    return done;
  }

  private async planAndRun(runId: number, folder: SyncFolder, removals: RemovalMode, signal: AbortSignal): Promise<SyncRun | null> {
    const { store, reporter } = this.deps;
    const title = folderTitle(folder, this.deps.roots);
    const run = await store.run(runId);
    if (run === null) return null;
    reporter.progress(run, { kind: "calculating", title });
    const compared = await this.compare(folder, signal);
    if (signal.aborted) return null;
    if (!compared.ok) return this.runner.fail(run, title, `${compared.why} Nothing was copied or removed.`);
    const { plan } = compared;
    const cap = this.deps.settings().syncMaxDeletions;
    const guard = removalGuard(plan, this.deps.maxMissingShare);
    if (guard !== null) await this.alertGuard(run, folder, guard, plan.removals.length);
    const settling = plan.settling.length;
    if (plan.removals.length > 0 && removals === "preview") {
      await store.savePlan(runId, plan.copies, plan.removals, "preview", guard);
      await reporter.final(run, { kind: "preview", title, facts: { ...plan, settling, guard }, cap, trashDays: this.deps.settings().trashDays,
        runId, canApply: plan.removals.length <= cap && guard === null });
      return store.run(runId);
    }
    const applying = removals === "apply" && plan.removals.length <= cap && guard === null;
    await store.savePlan(runId, plan.copies, applying ? plan.removals : [], "copying", guard);
    if (plan.copies.length === 0 && !applying) {
      await store.finish(runId, "done", { copied: 0, removed: 0, failed: 0 }, guard, this.deps.clock.now());
      await reporter.final(run, { kind: "finished", outcome: { title, copied: 0, removed: 0, failed: 0, bytes: 0, elapsedMs: 0, removalsLeft: plan.removals.length, problems: [], settling, guard } });
      return store.run(runId);
    }
    return this.runner.execute(runId, folder, signal, applying ? 0 : plan.removals.length, settling);
  }

  /** Tells the admins (and the audit trail) that a sync kept files that left its source, and why. */
  private async alertGuard(run: SyncRun, folder: SyncFolder, why: string, kept: number): Promise<void> {
    await this.deps.audit.record({ actor: run.actor, action: "sync.guard", target: { type: "sync_folder", id: folder.id }, after: { run: run.id, why, kept } });
    await this.deps.notifier.notifyAdmins({ kind: "sync.held-back", title: folderTitle(folder, this.deps.roots), reason: why, kept }).catch(() => undefined);
  }
}
