import { hostname } from "node:os";
import type { Config } from "../config.js";
import { createServices, telegramClientsFor } from "../composition.js";
import { createDataSource } from "../infra/database/database.js";
import { createLogger } from "../infra/logging/logger.js";
import { jobEngineAdapters, type JobEngineAdapters } from "../infra/database/job-engine-adapters.js";
import { newProcessOwner } from "../infra/system/process-owner.js";
import { schemaMismatch } from "../infra/database/schema-check.js";
import { TelegramAdminNotifier } from "../bot/outbound/admin-notifier.js";
import { adminNoticeHtml } from "../bot/views/admin-notices.js";
import { MIGRATIONS } from "../../migrations/index.js";
import { POSTGRES_MIGRATIONS } from "../../migrations/postgres/index.js";
import type { AdminNotifier } from "../services/notices/notifier.js";
import { CONVERSION } from "../services/conversion/conversion-kinds.js";
import { EXPORT_CONCURRENCY, EXPORT_HLS, exportHlsJob } from "../services/export/export-job.js";
import { JobRunner } from "../workers/job-runner.js";
import { Presence } from "../workers/presence.js";
import { plainText } from "./plain-text.js";
import { WORK_ROLES, type WorkRole } from "../services/processes/work-roles.js";

import { UsageError, type Out } from "./command.js";

export const WORKER_USAGE = `Usage: vidlib worker --roles convert,export [--name NAME]

Runs only the job kinds of the roles named, on this machine, from the shared database, until stopped
(Ctrl+C or SIGTERM hands its running jobs back). The primary (npm start) runs the bot, uploads, schedules
and migrations; a worker refuses a database whose schema does not match its own version.

  --roles   convert (conversions to MP4), export (HLS exports); comma-separated
  --name    how /workers names this worker (default: the machine's name)

Before it claims anything it checks every library folder of the primary: at the path VIDLIB_PATH_MAP gives
its name (name=path;name=path), else at the primary's path, it must carry this library's marker for that
name. Otherwise it says which folder, where and why, and exits 1.`;

/** `vidlib worker`: a process that runs conversions and/or exports and nothing else. */
export async function workerCommand(config: Config, options: { roles?: string; name?: string }, out: Out, err: Out): Promise<number> {
  const roles = (options.roles ?? "").split(",").map((r) => r.trim()).filter((r) => r !== "");
  const wrong = roles.filter((r) => !(WORK_ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || wrong.length > 0) throw new UsageError(roles.length === 0 ? "name at least one role with --roles" : `unknown role: ${wrong.join(", ")}`);
  const parsed = { roles: roles as WorkRole[], name: options.name ?? hostname() };
  const logger = createLogger({ level: "info", pretty: false, secrets: [config.telegram.token], destination: process.stderr });
  // A database connection that breaks in a way the driver cannot recover (the server gone, the network cut
  // for long) surfaces here: the worker stops with code 1 for its service to restart it, and its running
  // jobs go back in the queue when their leases end.
  process.once("uncaughtException", (e) => {
    logger.fatal({ err: e }, "the worker stops on an unexpected error; its running jobs go back in the queue when their leases end");
    process.exit(1);
  });
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  let engine: JobEngineAdapters | undefined;
  try {
    const known = config.database.driver === "postgres" ? POSTGRES_MIGRATIONS : MIGRATIONS;
    const mismatch = await schemaMismatch(dataSource, known.map((m) => m.name));
    if (mismatch !== null) {
      err(`vidlib worker: not starting: ${mismatch}.`);
      return 1;
    }
    // One set of Bot API clients for the process: the notifier and the services share its throttle.
    const telegram = telegramClientsFor(config, logger);
    const notifier: AdminNotifier = config.telegram.token !== "" && config.adminIds.length > 0
      ? new TelegramAdminNotifier(telegram.api(), config.adminIds, logger)
      : { notifyAdmins: (notice) => { out(plainText(adminNoticeHtml(notice))); return Promise.resolve(); } };
    engine = await jobEngineAdapters(dataSource, logger);
    // On PostgreSQL: leases on the server's clock, and the primary's enqueues wake this worker at once.
    const services = createServices(dataSource, config, notifier, engine.clock, logger, { libraryChanged: () => undefined, telegram, enqueueSignal: engine.signal });
    await services.settings.load();
    // Every library folder of the primary must be here (where VIDLIB_PATH_MAP says, else at the primary's path), and be the same folder.
    const check = await services.libraryMarks.checkForWorker(config.pathMap);
    if (!check.ok) {
      err(`vidlib worker: not claiming anything: ${check.problem}.`);
      return 1;
    }
    services.locator.usePrimaryFolders(check.folders);
    const owner = newProcessOwner();
    const runner = new JobRunner({ store: services.jobStore, queue: services.jobs, clock: engine.clock, logger, owner });
    if (parsed.roles.includes("convert")) runner.register(CONVERSION, (context) => services.conversions.run(context), () => services.conversions.concurrency);
    if (parsed.roles.includes("export")) runner.register(EXPORT_HLS, exportHlsJob(services.exports), EXPORT_CONCURRENCY);
    const presence = new Presence(services.processes, owner, logger);
    await presence.start({ name: parsed.name, role: "worker", kinds: runner.kindNames });
    runner.start();
    out(`vidlib worker ${parsed.name} (${owner}) running: ${parsed.roles.join(", ")}. Stop with Ctrl+C.`);
    await new Promise<void>((resolve) => {
      // The runner's and the presence's timers do not hold the process open (they are unref'd for the bot's sake): this does, until a stop.
      const alive = setInterval(() => undefined, 60_000);
      const done = (): void => {
        clearInterval(alive);
        process.off("SIGINT", done);
        process.off("SIGTERM", done);
        resolve();
      };
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    out("Stopping: running jobs go back in the queue.");
    await runner.stop();
    await presence.stop();
    return 0;
  } finally {
    await engine?.signal.close();
    await dataSource.destroy();
  }
}
