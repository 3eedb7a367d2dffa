import type { Config } from "../config.js";
import { createServices } from "../composition.js";
import { openCommandDatabase } from "./open-database.js";
import { createLogger } from "../infra/logging/logger.js";
import { systemActor } from "../services/people/actor.js";
import type { AdminNotifier } from "../services/notices/notifier.js";
import type { Actor } from "../services/people/actor.js";
import type { SyncFolder, SyncRun } from "../services/sync/ports.js";
import { ownerText } from "../services/sync/owner.js";
import type { SyncService } from "../services/sync/sync-service.js";
import { folderTitle, type SyncFinalReport, type SyncProgressReport } from "../services/sync/sync-report.js";
import { previewText, syncFinalHtml, syncProgressHtml } from "../bot/views/sync-text.js";
import type { SyncReporter } from "../services/sync/sync-runner.js";
import { plainText } from "./plain-text.js";
import { newProcessOwner } from "../infra/system/process-owner.js";
import { JobRunner } from "../workers/job-runner.js";
import { SYNC_RUN, syncKey } from "../services/sync/sync-job.js";

import { UsageError, type Out } from "./command.js";

export const SYNC_USAGE = `Usage:
  vidlib sync list                       the registered sync folders
  vidlib sync add <source> <target>      register a folder; the target must be inside a library folder
  vidlib sync [--dry-run|--delete] [id…] sync every folder (or the ones given)
      (default)   copy new and changed files; files that left the source are listed and kept
      --dry-run   only show what would be copied and removed
      --delete    show the preview, then move files that left the source to the trash (within the deletion cap)`;

export interface SyncFlags { readonly dryRun: boolean; readonly delete: boolean }

/** Progress on standard error every few seconds, outcomes on standard output. */
function terminalReporter(out: Out, err: Out, everyMs = 2000): SyncReporter & { failed: boolean } {
  let last = 0;
  const reporter = {
    failed: false,
    progress(_run: SyncRun, report: SyncProgressReport): void {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      err(plainText(syncProgressHtml(report)).replace(/\n/g, " · "));
    },
    final(_run: SyncRun, report: SyncFinalReport): Promise<void> {
      const text = plainText(syncFinalHtml(report));
      if (text.startsWith("❌") || text.startsWith("⚠️")) reporter.failed = true;
      out(text);
      return Promise.resolve();
    },
  };
  return reporter;
}

const quiet: AdminNotifier = { notifyAdmins: () => Promise.resolve() };

/** `vidlib sync …`: see SYNC_USAGE. Safe beside the running bot: one run per folder at a time, across processes. */
export async function syncCommand(config: Config, flags: SyncFlags, args: readonly string[], out: Out, err: Out): Promise<number> {
  const [sub] = args;
  if (flags.dryRun && flags.delete) throw new UsageError("--dry-run and --delete cannot be used together");
  const ids = sub === "list" || sub === "add" ? [] : args.map(Number);
  if (ids.some((id) => !Number.isSafeInteger(id))) throw new UsageError(`not a sync folder id: ${args.join(" ")}`);
  if (sub === "list" && args.length > 1) throw new UsageError(`unexpected arguments: ${args.slice(1).join(" ")}`);
  if (sub === "add" && args.length !== 3) throw new UsageError("vidlib sync add takes a source folder and a target folder");
  const logger = createLogger({ level: "warn", pretty: false, secrets: [config.telegram.token], destination: process.stderr });
  const reporter = terminalReporter(out, err);
  const db = await openCommandDatabase(config, logger);
  const services = createServices(db.dataSource, config, quiet, db.clock, logger, { libraryChanged: () => undefined, syncReporter: reporter, enqueueSignal: db.enqueueSignal });
  await services.settings.load();
  const { sync } = services;
  // This process runs the jobs of the syncs it starts (and of interrupted ones) itself, on the one job engine.
  const runner = new JobRunner({ store: services.jobStore, queue: services.jobs, clock: db.clock, logger, owner: newProcessOwner() });
  runner.register(SYNC_RUN, (context) => sync.run(context), 1);
  sync.useRunner((key) => runner.runOnce(SYNC_RUN, key));
  const actor = systemActor("cli");
  const onSignal = (): void => { err("Stopping: the sync goes on where it stopped next time."); void runner.stop(); };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (sub === "list") {
      const folders = await sync.folders(actor);
      out(folders.length === 0 ? "No sync folders. Add one with: vidlib sync add <source> <target>" : folders.map((f) => `${f.id}. ${folderTitle(f)}`).join("\n"));
      return 0;
    }
    if (sub === "add") {
      const [source = "", target = ""] = args.slice(1);
      const result = await sync.register(actor, source, target);
      out(result.ok ? `Registered ${result.folder.id}. ${folderTitle(result.folder)}` : `Not registered: ${result.problem}.`);
      return result.ok ? 0 : 1;
    }
    const interrupted = await sync.interrupted();
    if (interrupted.length > 0) out(`Carrying on with ${interrupted.length === 1 ? "1 interrupted sync" : `${interrupted.length} interrupted syncs`}.`);
    for (const run of interrupted) await runner.runOnce(SYNC_RUN, syncKey(run.folderId));
    const folders = (await sync.folders(actor)).filter((f) => ids.length === 0 || ids.includes(f.id));
    if (folders.length === 0) {
      out(ids.length === 0 ? "No sync folders. Add one with: vidlib sync add <source> <target>" : "No sync folder has that id (see vidlib sync list).");
      return ids.length === 0 ? 0 : 1;
    }
    let exit = 0;
    for (const folder of folders) {
      if (flags.dryRun) {
        const preview = await sync.dryRun(actor, folder.id);
        out(plainText(preview.ok ? previewText(preview.preview.title, preview.preview.facts, preview.preview.cap, preview.preview.trashDays) : `❌ ${folderTitle(folder)}: ${preview.why}`));
        if (!preview.ok || preview.guard !== null) exit = 1;
        continue;
      }
      if (!(await syncOne(sync, actor, folder, flags.delete, out))) exit = 1;
    }
    return reporter.failed ? 1 : exit;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await runner.stop();
    await db.close();
  }
}

/**
 * One folder: a run (taking over one whose process is gone first), then with --delete the same preview
 * as the bot, printed and applied within the cap. False when something needs attention.
 */
async function syncOne(sync: SyncService, actor: Actor, folder: SyncFolder, removals: boolean, out: Out): Promise<boolean> {
  const mode = removals ? "preview" : "none";
  let started = await sync.start(actor, folder.id, mode);
  let run: SyncRun | null = null;
  if (started.kind === "started" && started.resumed) {
    // Its process is gone: finish that run first, then sync the folder as asked.
    out(`${folderTitle(folder)}: carrying on with an interrupted sync.`);
    run = await started.done;
    if (run?.state === "done") run = null;
    else if (run?.state !== "preview") return false;
    if (run === null) started = await sync.start(actor, folder.id, mode);
  }
  if (started.kind === "busy") {
    out(`${folderTitle(folder)}: skipped, because a sync of this folder is running elsewhere (${ownerText(started.owner, started.heartbeatAt, Date.now())}).`);
    return false;
  }
  if (started.kind !== "started") return false;
  run ??= await started.done;
  if (run?.state !== "preview") return run?.state === "done" && run.error === null;
  let ok = true;
  let answer = await sync.confirm(actor, run.id, "apply");
  if (answer.kind === "over-cap") {
    ok = false;
    answer = await sync.confirm(actor, run.id, "none");
  }
  if (answer.kind !== "started") return false;
  const finished = await answer.done;
  return ok && finished?.state === "done" && finished.error === null;
}
