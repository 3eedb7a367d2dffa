import { isAbsolute, join, resolve, sep } from "node:path";
import { actorId, type Actor } from "../people/actor.js";
import type { AuditService } from "../audit/audit.js";
import type { Clock } from "../shared/clock.js";
import { requirePermission } from "../people/permissions.js";
import type { RuntimeSettings } from "../settings/settings.js";
import type { FolderProblem, SyncFiles, SyncFolder, SyncRun, SyncStore, TrashedSyncFile } from "./ports.js";
import type { AdminNotifier } from "../notices/notifier.js";
import { planSync, removalGuard, syncTrashFolder, type SyncPlan } from "./sync-plan.js";
import { SyncRunner, type SyncReporter } from "./sync-runner.js";
import { folderTitle, type SyncPreview } from "./sync-report.js";
import type { JobContext, JobOutcome, JobRecord } from "../jobs/job.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { SYNC_RUN, syncKey, type SyncPayload } from "./sync-job.js";
import { setTimeout as delay } from "node:timers/promises";
import { FolderLocks, type HeldLock } from "../locks/folder-locks.js";

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
  /** The job engine: each run is a job keyed per folder; the runner calls `run`. */
  readonly jobs: JobQueue;
  /** Told when a sync held back its removals because the source looks unmounted. */
  readonly notifier: AdminNotifier;
  /** The scanner's unmount rule: the largest share of a library folder's files a sync may remove at once (0–1). */
  readonly maxMissingShare: number;
  /** A source file modified less than this long ago may still be being written; it is left for a later run. */
  readonly settleMs: number;
  /** One run at a time writes into a destination folder, across processes; without it nothing is locked. */
  readonly locks?: FolderLocks;
  /** How often a run waiting for its destination's lock looks again (default 5 s). */
  readonly lockRetryMs?: number;
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

const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** Source folders mirrored into the library: registration, previews, runs, resuming after a restart, and the trash. */
export class SyncService {
  private readonly runner: SyncRunner;
  /** Callers in this process waiting for a run to reach its next stop, by run id. */
  private readonly waiters = new Map<number, { promise: Promise<SyncRun | null>; resolve: (run: SyncRun | null | Promise<SyncRun | null>) => void }>();
  private runHere: ((key: string) => Promise<boolean>) | null = null;

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
   * `message` is the chat message that shows progress. The run is a job on the engine, one per folder.
   */
  async start(actor: Actor, folderId: number, removals: RemovalMode, message?: { chatId: number; messageId: number }): Promise<StartResult> {
    requirePermission(actor, "sync");
    const folder = await this.deps.store.folder(folderId);
    if (folder === null) return { kind: "unknown" };
    const run = await this.deps.store.startRun(folderId, actor, this.deps.clock.now());
    if (run === null) return this.takeOverOrBusy(actor, folder, removals, message);
    if (message !== undefined) await this.deps.store.setMessage(run.id, message.chatId, message.messageId);
    await this.deps.audit.record({ actor, action: "sync.start", target: { type: "sync_folder", id: folderId }, after: { run: run.id, removals } });
    const { done } = await this.enqueue({ runId: run.id, folderId, mode: removals });
    return { kind: "started", runId: run.id, done, resumed: false };
  }

  /** The folder already has a run: carried on here if no live process holds its job (its lease ran out), otherwise who holds it. */
  private async takeOverOrBusy(actor: Actor, folder: SyncFolder, removals: RemovalMode, message?: { chatId: number; messageId: number }): Promise<StartResult> {
    const [active] = await this.deps.store.activeRuns(folder.id);
    if (active === undefined) return { kind: "busy", owner: null, heartbeatAt: null }; // it ended a moment ago
    // A run whose process is gone (killed, crashed) is carried on at once, not after its lease.
    await this.deps.jobs.releaseDeadOwners();
    const job = await this.jobOf(active);
    if (job !== null && job.state === "running" && (job.leaseUntil ?? 0) >= this.deps.clock.now()) {
      return { kind: "busy", owner: job.owner, heartbeatAt: job.leaseUntil === null ? null : job.leaseUntil - SYNC_RUN.leaseMs };
    }
    if (message !== undefined) await this.deps.store.setMessage(active.id, message.chatId, message.messageId);
    const { done } = await this.enqueue({ runId: active.id, folderId: folder.id, mode: removals });
    return { kind: "started", runId: active.id, done, resumed: true };
  }

  /** The engine job that carries out an active run (one is enqueued if it has none, e.g. its job gave up). */
  private async jobOf(run: SyncRun): Promise<JobRecord | null> {
    const { job } = await this.deps.jobs.enqueue(SYNC_RUN, { runId: run.id, folderId: run.folderId, mode: run.chatId === null ? "none" : "preview" }, { key: syncKey(run.folderId), group: syncKey(run.folderId) });
    return (JSON.parse(job.payload) as SyncPayload).runId === run.id ? job : null;
  }

  /**
   * Enqueues the run's job and says when this process has carried it to its next stop (a preview, or the
   * end); in a process that runs its own jobs (`vidlib sync`), runs it here at once.
   */
  private async enqueue(payload: SyncPayload, answeringPreview = false): Promise<{ done: Promise<SyncRun | null> }> {
    const key = syncKey(payload.folderId);
    const enqueued = await this.deps.jobs.enqueue(SYNC_RUN, payload, { key, group: key });
    let job = enqueued.job;
    // The folder's previous run may still be winding down in the engine after its history row ended, and so may
    // this run's own preview job when the preview is answered at once: neither would carry out this payload.
    if (!enqueued.created && (answeringPreview || (JSON.parse(job.payload) as SyncPayload).runId !== payload.runId)) {
      ({ job } = await this.deps.jobs.enqueue(SYNC_RUN, payload, { key: `${key}:${payload.runId}`, group: key }));
    }
    const waiter = this.waiterFor(payload.runId);
    const runHere = this.runHere;
    if (runHere !== null) {
      // Settled once the engine has recorded the job's end, so a preview's answer finds the folder's key free.
      void runHere(job.key ?? key).then(async () => this.settleWaiter(payload.runId, await this.deps.store.run(payload.runId)),
        (err: unknown) => this.settleWaiter(payload.runId, Promise.reject(err as Error)));
    }
    return { done: waiter };
  }

  private waiterFor(runId: number): Promise<SyncRun | null> {
    const existing = this.waiters.get(runId);
    if (existing !== undefined) return existing.promise;
    let resolve!: (run: SyncRun | null | Promise<SyncRun | null>) => void;
    const promise = new Promise<SyncRun | null>((r) => { resolve = r; });
    this.waiters.set(runId, { promise, resolve });
    return promise;
  }

  private settleWaiter(runId: number, run: SyncRun | null | Promise<SyncRun | null>): void {
    this.waiters.get(runId)?.resolve(run);
    this.waiters.delete(runId);
  }

  /** In a process without a started job runner (`vidlib sync`): runs the job with this key here and now; false when none was due. */
  useRunner(runOnce: (key: string) => Promise<boolean>): void {
    this.runHere = runOnce;
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
    if (!(await this.deps.store.confirm(runId, applying ? "apply" : "none"))) return { kind: "busy" };
    await this.deps.audit.record({ actor, action: "sync.confirm", target: { type: "sync_folder", id: folder.id }, after: { run: runId, removals: applying ? removals : 0 } });
    const { done } = await this.enqueue({ runId, folderId: folder.id, mode: applying ? "apply" : "none" }, true);
    return { kind: "started", done };
  }

  /** Active runs whose job no live process holds (a crash, a kill, Ctrl+C): the next claim of their folder's job carries them on. */
  async interrupted(): Promise<SyncRun[]> {
    await this.deps.jobs.releaseDeadOwners();
    const now = this.deps.clock.now();
    const orphaned: SyncRun[] = [];
    for (const run of await this.deps.store.activeRuns()) {
      const job = await this.jobOf(run);
      if (job !== null && (job.state === "queued" || (job.state === "running" && (job.leaseUntil ?? 0) < now))) orphaned.push(run);
    }
    return orphaned;
  }

  /**
   * Carries out a run for the engine: planning (to a preview or on to copying), or copying where it stopped.
   * A job taken over from a process that stopped goes on from that run's partial files. A stop hands the
   * job back (the run stays where it is); an unexpected error ends the run as failed.
   */
  async run({ job, payload, attempt, signal }: JobContext<SyncPayload>): Promise<JobOutcome> {
    const { store } = this.deps;
    const before = await store.run(payload.runId);
    let result: SyncRun | null = before;
    try {
      if (before === null || (before.state !== "planning" && before.state !== "copying")) return { kind: "done" };
      const folder = await store.folder(before.folderId);
      if (folder === null) {
        result = await this.runner.fail(before, `sync ${before.id}`, "Its sync folder was forgotten. Nothing was copied or removed.");
        return { kind: "done" };
      }
      if (attempt > 1 || job.reason !== null) {
        await this.deps.audit.record({ actor: before.actor, action: "sync.resume", target: { type: "sync_folder", id: folder.id }, after: { run: before.id } });
      }
      let lock: HeldLock | null = null;
      try {
        lock = await this.lockTarget(folder, signal);
        const work = lock === null ? signal : AbortSignal.any([signal, lock.lost]);
        result = before.state === "copying" ? await this.runner.execute(before.id, folder, work) : await this.planAndRun(before.id, folder, payload.mode, work);
        if (lock?.lost.aborted === true) throw lock.lost.reason;
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        // The unexpected (a database error): the run ends as failed rather than hanging as active.
        result = await this.runner.fail(before, `sync ${before.id}`, `vidlib stopped the sync after an unexpected error: ${(err as Error).message ?? String(err)}`);
      } finally {
        await lock?.release();
      }
      // Stopping hands the job back to the engine; a lost lease belongs to the process that took the run over.
      if (signal.aborted) throw signal.reason;
      return { kind: "done" };
    } finally {
      if (this.runHere === null) this.settleWaiter(payload.runId, signal.aborted ? store.run(payload.runId) : result);
    }
  }

  /**
   * Holds the lock of the run's destination folder, waiting while another run writes into it (another source
   * registered with the same target, in any process). The wait ends with the job's signal (a stop, a cancel).
   */
  private async lockTarget(folder: SyncFolder, signal: AbortSignal): Promise<HeldLock | null> {
    const { locks } = this.deps;
    if (locks === undefined) return null;
    for (;;) {
      signal.throwIfAborted();
      const lock = await locks.take(FolderLocks.syncName(folder.targetPath));
      if ("held" in lock) return lock.held;
      await delay(this.deps.lockRetryMs ?? 5000, undefined, { signal });
    }
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
