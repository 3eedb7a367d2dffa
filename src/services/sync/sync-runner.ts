import { join } from "node:path";
import type { AuditEntry } from "../audit/audit.js";
import pMap from "p-map";
import type { SyncFolder, SyncItem, SyncRun } from "./ports.js";
import type { SyncDeps } from "./sync-service.js";
import { isSettling } from "../library/scan-plan.js";
import { needsCopy, syncTrashFolder } from "./sync-plan.js";
import { folderTitle, type SyncFinalReport, type SyncProgressReport } from "./sync-report.js";

/** Where a run's progress and outcome are shown: its chat message, or the terminal of `vidlib sync`. */
export interface SyncReporter {
  /** Progress so far (shown at most every few seconds). */
  progress(run: SyncRun, report: SyncProgressReport): void;
  /** The last word on a run; a preview is shown with the buttons that answer it. */
  final(run: SyncRun, report: SyncFinalReport): Promise<void>;
}

// Progress is written to the run's history row at most this often.
const HEARTBEAT_MS = 1000;
// Speed is shown once there is a fair sample of it.
const SPEED_AFTER_MS = 1000;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
/** Why a copy was left for a later run: the source file changed moments ago. */
export const STILL_WRITING = "still being written; copied by a later sync";

/** Carries out a planned run: copies (several at a time), then the confirmed removals, with progress (the job engine holds the run's lease). */
export class SyncRunner {
  constructor(private readonly deps: SyncDeps) {}

  /** Ends a run that cannot go on, saying why. */
  async fail(run: SyncRun, title: string, why: string): Promise<SyncRun | null> {
    await this.deps.store.finish(run.id, "failed", { copied: 0, removed: 0, failed: 0 }, why, this.deps.clock.now());
    await this.deps.audit.record({ actor: run.actor, action: "sync.fail", target: { type: "sync_folder", id: run.folderId }, after: { run: run.id, why } });
    await this.deps.reporter.final(run, { kind: "failed", title, why });
    return this.deps.store.run(run.id);
  }

  /**
   * Copies the run's pending files, then applies its removals if they were confirmed. `removalsLeft` and
   * `settling` are what the plan found and left alone (removals not chosen, files still being written).
   */
  async execute(runId: number, folder: SyncFolder, signal: AbortSignal, removalsLeft = 0, settling = 0): Promise<SyncRun | null> {
    const { store, clock, reporter } = this.deps;
    const run = await store.run(runId);
    if (run === null) return null;
    const title = folderTitle(folder, this.deps.roots);
    const items = await store.items(runId);
    const copies = items.filter((i) => i.action === "copy");
    const progress = {
      filesTotal: copies.length,
      filesDone: copies.filter((i) => i.state !== "pending").length,
      bytesTotal: copies.reduce((sum, i) => sum + i.size, 0),
      bytesDone: copies.filter((i) => i.state !== "pending").reduce((sum, i) => sum + i.size, 0),
    };
    const startedAt = clock.now();
    let sessionBytes = 0;
    let lastBeat = 0;
    const show = (): void => {
      const now = clock.now();
      const elapsed = now - startedAt;
      reporter.progress(run, { kind: "copying", progress: { title, ...progress, bytesPerS: elapsed >= SPEED_AFTER_MS ? (sessionBytes * 1000) / elapsed : null } });
      if (now - lastBeat >= HEARTBEAT_MS) {
        lastBeat = now;
        void store.heartbeat(runId, progress, now).catch(() => undefined);
      }
    };
    show();
    const problems: string[] = [];
    const pending = copies.filter((i) => i.state === "pending");
    await pMap(pending, async (item) => {
      if (signal.aborted) return;
      const outcome = await this.copyOne(folder, item, signal, (n, resumed) => {
        progress.bytesDone += n;
        if (!resumed) sessionBytes += n;
        show();
      });
      if (outcome === "aborted") return;
      if (typeof outcome === "object") problems.push(`${item.relPath}: ${outcome.failed}`);
      if (outcome === "settling") await store.finishItem(item.id, "skipped", STILL_WRITING);
      else await store.finishItem(item.id, typeof outcome === "object" ? "failed" : outcome, typeof outcome === "object" ? outcome.failed : null);
      progress.filesDone++;
      // A skipped or failed file's bytes still count, so the bar reaches its end.
      if (outcome !== "done") progress.bytesDone = Math.min(progress.bytesTotal, progress.bytesDone + item.size);
      show();
    }, { concurrency: this.deps.concurrency });
    if (signal.aborted) return store.run(runId);
    const removed = run.removals === "apply" ? await this.removeAll(run, folder, items.filter((i) => i.action === "remove" && i.state === "pending")) : 0;
    const final = await store.items(runId);
    const count = (action: SyncItem["action"], state: SyncItem["state"]): number => final.filter((i) => i.action === action && i.state === state).length;
    const counts = { copied: count("copy", "done"), removed, failed: count("copy", "failed") };
    // A copying run's error holds why its removals were held back (the source looked unmounted).
    const guard = run.error;
    await store.finish(runId, "done", counts, guard, clock.now());
    const bytes = final.filter((i) => i.action === "copy" && i.state === "done").reduce((sum, i) => sum + i.size, 0);
    await this.deps.audit.record({ actor: run.actor, action: "sync.finish", target: { type: "sync_folder", id: folder.id }, after: { run: runId, ...counts, bytes } });
    if (counts.copied > 0 || counts.removed > 0) this.deps.changed();
    // Removals a preview showed and the person chose to keep, or that a copy-only run did not save.
    const kept = removalsLeft + (run.removals === "none" ? items.filter((i) => i.action === "remove").length : 0);
    const stillWriting = settling + final.filter((i) => i.action === "copy" && i.state === "skipped" && i.error === STILL_WRITING).length;
    await reporter.final(run, { kind: "finished", outcome: { title, ...counts, bytes, elapsedMs: clock.now() - run.createdAt, removalsLeft: kept, problems, settling: stillWriting, guard } });
    return store.run(runId);
  }

  /** One copy, checked again against the source and the target as they are now. */
  private async copyOne(folder: SyncFolder, item: SyncItem, signal: AbortSignal, onBytes: (n: number, resumed: boolean) => void): Promise<"done" | "skipped" | "settling" | "aborted" | { failed: string }> {
    const from = join(folder.sourcePath, item.relPath);
    const to = join(folder.targetPath, item.relPath);
    try {
      const source = await this.deps.files.stat(from);
      if (source === null) return "skipped";
      // Written to since the plan (or the run was resumed later): the scanner's settle rule, checked again.
      if (isSettling(this.deps.clock.now() - source.mtimeMs, this.deps.settleMs)) return "settling";
      const expected = { relPath: item.relPath, size: source.size, mtimeMs: source.mtimeMs };
      const target = await this.deps.files.stat(to);
      if (!needsCopy(expected, target === null ? undefined : { relPath: item.relPath, ...target })) return "skipped";
      await this.deps.files.copy(from, to, expected, onBytes, signal);
      return "done";
    } catch (err) {
      if (signal.aborted) return "aborted";
      return { failed: message(err) };
    }
  }

  /**
   * Moves confirmed removals to the trash, each only if it is still absent from the source and
   * unchanged in the target; none at all if the source cannot be read now (an unmounted share).
   */
  private async removeAll(run: SyncRun, folder: SyncFolder, items: readonly SyncItem[]): Promise<number> {
    const { files, store } = this.deps;
    if (items.length === 0) return 0;
    if ((await files.problem(folder.sourcePath)) !== null) {
      for (const item of items) await store.finishItem(item.id, "skipped", "the source could not be read; nothing was removed");
      return 0;
    }
    const trash = syncTrashFolder(this.deps.trashDir, run.id);
    const audits: AuditEntry[] = [];
    for (const item of items) {
      const target = join(folder.targetPath, item.relPath);
      const [inSource, now] = await Promise.all([files.stat(join(folder.sourcePath, item.relPath)), files.stat(target)]);
      if (inSource !== null || now === null || now.size !== item.size || Math.abs(now.mtimeMs - item.mtimeMs) > 1) {
        await store.finishItem(item.id, "skipped", "changed since the preview");
        continue;
      }
      try {
        await files.moveToTrash(target, join(trash, item.relPath));
        await store.finishItem(item.id, "done", null);
        audits.push({ actor: run.actor, action: "sync.trash", target: { type: "sync_folder", id: folder.id }, before: { path: target }, after: { trash: join(trash, item.relPath) } });
      } catch (err) {
        await store.finishItem(item.id, "failed", message(err));
      }
    }
    if (audits.length > 0) await this.deps.audit.recordMany(audits);
    return audits.length;
  }
}
