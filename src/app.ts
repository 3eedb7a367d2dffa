import { run, type RunnerHandle } from "@grammyjs/runner";
import type { DataSource } from "typeorm";
import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import { redactDatabaseUrl, type Config } from "./config.js";
import { systemActor } from "./services/people/actor.js";
import { connectBot } from "./bot/connect.js";
import { createBot } from "./bot/create-bot.js";
import { replayInterruptedUpdates } from "./bot/update-journal.js";
import { SqliteUpdateJournal } from "./infra/database/stores/update-journal-store.js";
import { openDatabase } from "./infra/database/database.js";
import type { Logger } from "./infra/logging/logger.js";
import { SqliteKeyValueStore } from "./infra/database/stores/conversation-store.js";
import type { Clock } from "./services/shared/clock.js";
import { createShutdown } from "./shutdown.js";
import { logPollingFailures } from "./infra/telegram/api-client.js";
import { createFolderWatcher, createServices, telegramClientsFor, type AppServices } from "./composition.js";
import { TelegramCardEditor } from "./bot/outbound/card-editor.js";
import { CardRefreshService, refreshCardsJob } from "./services/catalog/card-refresh.js";
import { CARD_REFRESH, SEARCH_REFRESH } from "./services/follow-up/kinds.js";
import { refreshSearchJob } from "./services/search/search-service.js";
import { TelegramAdminNotifier } from "./bot/outbound/admin-notifier.js";
import { LibraryWorker } from "./workers/library-worker.js";
import { LIBRARY_SCAN, libraryScanJob, reconcileSchedule } from "./services/library/scan-job.js";
import { autoConvertJob, CONVERSION, CONVERSION_AUTO } from "./services/conversion/conversion-kinds.js";
import { JobRunner } from "./workers/job-runner.js";
import { Schedules } from "./workers/schedules.js";
import { Presence } from "./workers/presence.js";
import { hostname } from "node:os";
import type { ProcessRecord } from "./services/processes/ports.js";
import { formatAgo } from "./services/shared/units.js";
import { PROCESSES_CHECK, PROCESSES_CHECK_SCHEDULE, processesCheckJob } from "./services/processes/process-jobs.js";
import { newProcessOwner } from "./infra/system/process-owner.js";
import { JOBS_PRUNE, JOBS_PRUNE_SCHEDULE, pruneJobsJob } from "./services/jobs/prune.js";
import { purgeTrashJob, TRASH_PURGE, TRASH_PURGE_SCHEDULE } from "./services/trash/trash.js";
import { PUBLISH_AUTO, UPLOAD_LANES, UPLOAD_SEND, UPLOAD_SETTLE } from "./services/publish/upload-kinds.js";
import { EXPORT_CONCURRENCY, EXPORT_HLS, exportHlsJob } from "./services/export/export-job.js";
import { SYNC_RUN, SYNC_RUN_CONCURRENCY } from "./services/sync/sync-job.js";
import { holdPidFile } from "./infra/database/sqlite-backup.js";
import { holdPrimaryLock, type PrimaryLock } from "./infra/database/primary-lock.js";
import { jobEngineAdapters, type JobEngineAdapters } from "./infra/database/job-engine-adapters.js";
import { join } from "node:path";

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "inline_query", "chosen_inline_result", "my_chat_member"] as const;
const DRAIN_TIMEOUT_MS = 15_000;

export interface App {
  readonly dataSource: DataSource;
  readonly services: AppServices;
  /** Stops polling, waits for in-flight updates, closes the database; safe to call more than once. */
  readonly shutdown: () => Promise<boolean>;
  /** Settles when polling ends, by shutdown or by a fatal polling error. */
  readonly stopped: Promise<void>;
}

/** Another primary is running on this database: this one refuses to start, and says which. */
export class SecondPrimaryError extends Error {
  constructor(readonly other: ProcessRecord, now: number) {
    super(`another vidlib primary is running on this database: ${other.name} on ${other.host} (process ${other.pid}, last heard from ${formatAgo((now - other.seenAt) / 1000)}). `
      + "Only one may poll Telegram, send uploads and run the schedules. Stop that one first; for more conversion capacity start `vidlib worker --roles convert` instead.");
    this.name = "SecondPrimaryError";
  }
}

/** The primary lost its advisory lock on PostgreSQL (its connection broke): another primary may start, so this one stops. */
export class PrimaryLockLostError extends Error {
  constructor(cause: Error | null) {
    super(`the connection holding the primary lock was lost${cause === null ? "" : ` (${cause.message})`}; stopping, so that two primaries never run at once. Start vidlib again when the database is reachable.`);
    this.name = "PrimaryLockLostError";
  }
}

/**
 * The composition root: database → adapters → services → bot, then polling. `testClock` replaces, for tests,
 * the job engine's clock for the database (the server's on PostgreSQL).
 */
export async function startApp(config: Config, logger: Logger, signal: AbortSignal, testClock?: Clock): Promise<App | null> {
  // On PostgreSQL the advisory lock makes this the one primary before it touches anything (migrations included).
  const { lock: primaryLock, lost: lockLost } = await primaryLockFor(config, logger);
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(config.database);
  } catch (err) {
    await primaryLock?.release();
    throw err;
  }
  const { dataSource, applied } = opened;
  if (applied.length > 0) logger.info({ applied, database: databaseName(config) }, "database migrated");
  let engine: JobEngineAdapters | undefined;
  try {
    engine = await jobEngineAdapters(dataSource, logger);
    const clock = testClock ?? engine.clock;
    // Notices go to the owners and admins of the moment; the list comes from the services built next.
    let recipients = (): Promise<readonly number[]> => Promise.resolve(config.adminIds);
    // One set of clients for the token: one throttle, one message guard, the same retries and parse mode.
    const telegram = telegramClientsFor(config, logger);
    const notifier = new TelegramAdminNotifier(telegram.api(), () => recipients(), logger);
    const hooks = { libraryChanged: (): void => undefined, telegram, enqueueSignal: engine.signal };
    const services = createServices(dataSource, config, notifier, clock, logger, hooks);
    recipients = () => services.access.noticeRecipients();
    await services.abbreviations.load();
    await services.settings.load();
    const conversationStore = new SqliteKeyValueStore<VersionedState<ConversationData>>(dataSource, () => clock.now());
    const updateJournal = new SqliteUpdateJournal(dataSource, () => clock.now());
    // One primary per database: a second one would be a second getUpdates consumer and a second sender.
    const owner = newProcessOwner();
    const claimed = await services.processes.claimPrimary({ id: owner, name: "primary", kinds: [], host: hostname(), pid: process.pid });
    if (!claimed.ok) throw new SecondPrimaryError(claimed.other, clock.now());
    // Workers check these markers before they claim work, so one that sees other folders (or none) stays idle;
    // the videos' folder names follow LIBRARY_ROOTS (a folder renamed there keeps its videos).
    const unmarked = await services.libraryMarks.markFolders(config.libraryFolders);
    if (unmarked.length > 0) logger.warn({ folders: unmarked }, "could not write the library marker into these folders; workers will not start until it is there");
    const { bot, inFlight, menu } = createBot(config.telegram.token, { config, logger, services, conversationStore, updateJournal, telegram });
    if (!(await connectBot(bot, config.telegram.apiRoot, logger, signal))) {
      // Stopped while connecting: not a primary any more, so the next start need not wait for this one to look lost.
      await services.processes.goodbye(owner);
      await closeAll(dataSource, engine, primaryLock);
      return null;
    }
    await menu.setAll(bot.api, await services.roles.list(systemActor("start-up")), logger);
    await replayInterruptedUpdates(bot, updateJournal, logger);
    // The runner's own reports go to the console; ours go through the logger, which redacts.
    bot.api.config.use(logPollingFailures(logger));
    const runner: RunnerHandle = run(bot, { runner: { silent: true, fetch: { allowed_updates: ALLOWED_UPDATES } } });
    const libraryWorker = new LibraryWorker(services.library, services.jobs, clock, createFolderWatcher(config), logger, config.scan);
    hooks.libraryChanged = () => libraryWorker.schedule("after a sync changed the library", 0);
    const cardEditor = new TelegramCardEditor(bot.api, (chatId) => services.access.roleOf(chatId), logger);
    // The one job engine: kinds run by this process, and the schedules that enqueue periodic work.
    const jobRunner = new JobRunner({ store: services.jobStore, queue: services.jobs, clock, logger, owner });
    jobRunner.register(TRASH_PURGE, purgeTrashJob(services.trash, logger), 1);
    jobRunner.register(JOBS_PRUNE, pruneJobsJob(services.jobStore, clock, logger), 1);
    jobRunner.register(LIBRARY_SCAN, libraryScanJob(services.library, { logger, onSettling: () => libraryWorker.afterSettling() }), 1);
    // Follow-up work of changes to videos, enqueued by the services that change them: one drain job per list.
    jobRunner.register(SEARCH_REFRESH, refreshSearchJob(services.search, logger), 1);
    jobRunner.register(CARD_REFRESH, refreshCardsJob(new CardRefreshService(services.chat, services.catalog, cardEditor), logger), 1);
    // "Conversions at a time" is read at each fill; a change wakes the runner so it applies at once.
    // Conversions and exports run here unless PRIMARY_ROLES leaves them to workers (then queued ones wait for a worker).
    if (config.primaryRoles.includes("convert")) jobRunner.register(CONVERSION, (context) => services.conversions.run(context), () => services.conversions.concurrency);
    jobRunner.register(CONVERSION_AUTO, autoConvertJob(services.conversions, logger), 1);
    services.settings.onChange((name) => { if (name === "convertConcurrency") jobRunner.wake(); });
    if (config.primaryRoles.includes("export")) jobRunner.register(EXPORT_HLS, exportHlsJob(services.exports), EXPORT_CONCURRENCY);
    // Syncs interrupted by a stop or a crash are carried on by whichever process claims their job first.
    jobRunner.register(SYNC_RUN, (context) => services.sync.run(context), SYNC_RUN_CONCURRENCY);
    registerUploadJobs(jobRunner, services, logger);
    // Processes that fall silent (a worker machine, or another primary) are reported once.
    jobRunner.register(PROCESSES_CHECK, processesCheckJob(services.processes), 1);
    await recoverUploads(services, clock, logger);
    const schedules = new Schedules(services.jobStore, services.jobs, clock, logger);
    schedules.add(TRASH_PURGE_SCHEDULE);
    schedules.add(JOBS_PRUNE_SCHEDULE);
    schedules.add(PROCESSES_CHECK_SCHEDULE);
    if (config.scan.reconcileIntervalMs > 0) schedules.add(reconcileSchedule(config.scan.reconcileIntervalMs / 60_000));
    libraryWorker.start();
    jobRunner.start();
    const presence = new Presence(services.processes, owner, logger);
    await presence.start({ name: "primary", role: "primary", kinds: jobRunner.kindNames });
    await schedules.start();
    // Lists left with videos by a stop between a change and its job, or by the upload triggers while no bot ran.
    await services.followUps.resume();
    // Recordings indexed before a stop but never swept; later ones are swept after each scan that finds new files.
    await services.conversions.queueAutomaticSweep();
    await services.conversions.reconcile();
    // Tells `vidlib restore` that the database is in use.
    const releasePidFile = holdPidFile(join(config.dataDir, "vidlib.pid"));
    logger.info({ admins: config.adminIds.length, localMode: config.telegram.localMode }, "vidlib is running");
    const shutdown = createShutdown(logger, [
      { name: "polling", run: async () => { if (runner.isRunning()) await runner.stop(); } },
      { name: "in-flight updates", run: () => inFlight.drain(DRAIN_TIMEOUT_MS) },
      { name: "library worker", run: () => libraryWorker.stop() },
      { name: "schedules", run: () => Promise.resolve(schedules.stop()) },
      { name: "job runner", run: () => jobRunner.stop() },
      { name: "presence", run: () => presence.stop() },
      { name: "publish notices", run: () => services.notices.flush() },
      { name: "enqueue signal", run: () => engine!.signal.close() },
      { name: "database", run: () => dataSource.destroy() },
      // Last: no other primary starts while this one may still write.
      { name: "primary lock", run: () => primaryLock?.release() ?? Promise.resolve() },
      { name: "pid file", run: () => Promise.resolve(releasePidFile()) },
    ]);
    const stopped = Promise.race([(runner.task() ?? Promise.resolve()).then(() => undefined), lockLost]);
    return { dataSource, services, shutdown, stopped };
  } catch (err) {
    await closeAll(dataSource, engine, primaryLock);
    throw err;
  }
}

/** On PostgreSQL, the advisory lock that makes this process the one primary; `lost` rejects if its connection breaks. */
async function primaryLockFor(config: Config, logger: Logger): Promise<{ lock: PrimaryLock | null; lost: Promise<never> }> {
  if (config.database.driver !== "postgres") return { lock: null, lost: new Promise<never>(() => undefined) };
  let reject: (err: Error) => void = () => undefined;
  const lost = new Promise<never>((_resolve, fail) => { reject = fail; });
  // Whoever awaits `stopped` hears of it; this only keeps an unawaited rejection from being reported as unhandled.
  lost.catch(() => undefined);
  const lock = await holdPrimaryLock(config.database.url, { onLost: (err) => {
    logger.fatal({ err }, "lost the primary lock");
    reject(new PrimaryLockLostError(err));
  } });
  return { lock, lost };
}

/** Undoes a start that did not finish: the enqueue signal's connection, the database, then the primary lock. */
async function closeAll(dataSource: DataSource, engine: JobEngineAdapters | undefined, lock: PrimaryLock | null): Promise<void> {
  await engine?.signal.close();
  if (dataSource.isInitialized) await dataSource.destroy();
  await lock?.release();
}

/** The database as logs name it: the SQLite file, or the server's URL without its password. */
function databaseName(config: Config): string {
  return config.database.driver === "postgres" ? redactDatabaseUrl(config.database.url) : config.database.path;
}

/** The upload queue's kinds: one send per channel at a time across processes (the job's group), none started while paused. */
export function registerUploadJobs(jobRunner: JobRunner, services: AppServices, logger: Logger): void {
  jobRunner.register(UPLOAD_SEND, (context) => services.delivery.turn(context), () => (services.uploads.paused ? 0 : UPLOAD_LANES));
  jobRunner.register(UPLOAD_SETTLE, (context) => services.settlement.run(context), UPLOAD_LANES);
  jobRunner.register(PUBLISH_AUTO, async ({ payload }) => {
    const queued = await services.uploads.enqueueAutomatic(payload.videoIds);
    if (queued > 0) logger.info({ queued }, "videos queued for their channel automatically");
  }, 1);
  // Resuming the queue starts sends at once.
  services.settings.onChange((name) => { if (name === "publishPaused") jobRunner.wake(); });
}

/**
 * Before the runner starts: sends a process left mid-send (its lease ended, or its process is gone) become
 * uncertain with one notice to the admins, queued items get their send jobs, and items waiting for a
 * conversion that ended while no process ran go back in line.
 */
export async function recoverUploads(services: AppServices, clock: Clock, logger: Logger): Promise<void> {
  await services.jobs.releaseDeadOwners();
  const held = async (job: { id: number }): Promise<boolean> => {
    return (await services.uploadJobs.sends(job.id)).some((send) => send.state === "running" && (send.leaseUntil ?? 0) >= clock.now());
  };
  const interrupted = await services.uploads.recoverInterrupted(held);
  if (interrupted.length > 0) logger.warn({ jobs: interrupted.map((j) => j.id) }, "uploads interrupted by a stop wait for a decision");
  await services.uploads.reconcile();
  await services.delivery.wakeConverted();
}
