import type { DataSource } from "typeorm";
import type { Config } from "./config.js";
import type { BotServices } from "./bot/context.js";
import { Ffprobe } from "./infra/ffmpeg/ffprobe.js";
import { ChokidarFolderWatcher } from "./infra/fs/folder-watcher.js";
import { LibraryFileSystem } from "./infra/fs/library-fs.js";
import { TypeormAuditStore } from "./infra/database/stores/audit-store.js";
import { TypeormCategoryStore } from "./infra/database/stores/category-store.js";
import { SqliteLibraryIndex, SqliteLibraryStats } from "./infra/database/stores/library-index.js";
import { TypeormUserStore } from "./infra/database/stores/user-store.js";
import { SqliteBulkStore } from "./infra/database/stores/bulk-store.js";
import { SqliteCatalogStore } from "./infra/database/stores/catalog-store.js";
import { SqliteChatStateStore } from "./infra/database/stores/chat-state-store.js";
import { SqliteSearchIndex } from "./infra/database/stores/sqlite-fts-search-index.js";
import { PostgresSearchIndex } from "./infra/database/stores/postgres-search-index.js";
import { SqliteSettingsStore } from "./infra/database/stores/settings-store.js";
import { BulkEditService } from "./services/catalog/bulk-edit.js";
import { CatalogService } from "./services/catalog/catalog-service.js";
import { ChatStateService } from "./services/chat/chat-state.js";
import { AbbreviationService } from "./services/search/abbreviation-service.js";
import { SearchService, type SearchIndexStore } from "./services/search/search-service.js";
import { AccessService } from "./services/people/access.js";
import { RoleService } from "./services/people/roles.js";
import { AuditService } from "./services/audit/audit.js";
import { CategoryService } from "./services/catalog/categories.js";
import type { Clock } from "./services/shared/clock.js";
import { LibraryService } from "./services/library/library-service.js";
import { LibraryScanner } from "./services/library/scanner.js";
import type { AdminNotifier } from "./services/notices/notifier.js";
import { mkdirSync } from "node:fs";
import { FfmpegRunner } from "./infra/ffmpeg/ffmpeg-runner.js";
import { NodeConversionFiles } from "./infra/fs/conversion-files.js";
import { SqliteConversionStore } from "./infra/database/stores/conversion-store.js";
import { ConversionExecutor } from "./services/conversion/executor.js";
import { ConversionService } from "./services/conversion/conversion-service.js";
import { SettingsService } from "./services/settings/settings.js";
import { NodeDupeFiles } from "./infra/fs/dupe-files.js";
import { SqliteDupeStore } from "./infra/database/stores/dupe-store.js";
import { DupeService } from "./services/dupes/dupe-service.js";
import { TypeormJobStore } from "./infra/database/stores/job-store.js";
import { newProcessOwner, ownerIsGone } from "./infra/system/process-owner.js";
import { FolderLocks } from "./services/locks/folder-locks.js";
import { TypeormFolderLockStore } from "./infra/database/stores/folder-lock-store.js";
import { JobQueue } from "./services/jobs/job-queue.js";
import { VideoFollowUps } from "./services/follow-up/video-follow-ups.js";
import { CardFollowingUploadStore } from "./services/publish/card-following-store.js";
import { TypeormFollowUpStore } from "./infra/database/stores/follow-up-store.js";
import type { JobStore } from "./services/jobs/job-store.js";
import type { EnqueueSignal } from "./services/jobs/enqueue-signal.js";
import { TelegramClients } from "./infra/telegram/telegram-clients.js";
import { FfmpegThumbnails } from "./infra/ffmpeg/thumbnails.js";
import type { Logger } from "./infra/logging/logger.js";
import { SqliteChannelStore } from "./infra/database/stores/channel-store.js";
import { TypeormUploadStore } from "./infra/database/stores/upload-store.js";
import { UploadJobs } from "./services/publish/upload-kinds.js";
import { TelegramChannelDirectory } from "./infra/telegram/channel-directory.js";
import { TelegramChannelPoster } from "./infra/telegram/channel-poster.js";
import { BottleneckPacer } from "./infra/telegram/pacer.js";
import { ChannelService } from "./services/publish/channels.js";
import { Delivery } from "./services/publish/delivery.js";
import { SETTLE_QUIET_MS, UncertainSettlement } from "./services/publish/settlement.js";
import { PublishNotices } from "./services/publish/notices.js";
import { UploadQueueService } from "./services/publish/publish-service.js";
import { PublishedPosts } from "./services/publish/published-posts.js";
import { ReviewService } from "./services/publish/review.js";
import type { UploadJob } from "./services/publish/upload-job.js";
import { TelegramPersonMessenger } from "./bot/outbound/person-messenger.js";
import { TelegramReviewDesk } from "./bot/outbound/review-desk.js";
import { ProcessRegistry } from "./services/processes/process-registry.js";
import { TypeormProcessStore } from "./infra/database/stores/process-store.js";
import { LibraryMarks } from "./services/processes/library-marks.js";
import { FileFolderMarks } from "./infra/fs/folder-marks.js";
import { TypeormFolderNaming } from "./infra/database/stores/folder-naming-store.js";
import { LibraryLocator } from "./services/library/locator.js";
import { StatsService } from "./services/stats/stats-service.js";
import { ResvgChartRasteriser } from "./infra/resvg/chart-png.js";
import { SqliteStatsStore } from "./infra/database/stores/stats-store.js";
import { NodeSyncFiles } from "./infra/fs/sync-files.js";
import { SqliteSyncStore, vidlibMadeUnder } from "./infra/database/stores/sync-store.js";
import { TelegramSyncReporter } from "./bot/outbound/sync-reporter.js";
import { SyncService } from "./services/sync/sync-service.js";
import { TrashService } from "./services/trash/trash.js";
import { ExportService } from "./services/export/export-service.js";
import { SqliteExportStore } from "./infra/database/stores/export-store.js";
import { NodeExportFiles } from "./infra/fs/export-files.js";
import type { SyncReporter } from "./services/sync/sync-runner.js";

/** The services, plus what only the workers use. */
export interface AppServices extends BotServices {
  /** The one job engine: services enqueue through `jobs`; the runner and schedules read the store. */
  readonly jobs: JobQueue;
  /** The upload queue's engine jobs (sends, looks at channels, the auto-publish check). */
  readonly uploadJobs: UploadJobs;
  readonly jobStore: JobStore;
  /** Lists videos whose search documents and shown cards are out of date, and enqueues the jobs that refresh them. */
  readonly followUps: VideoFollowUps;
  readonly delivery: Delivery;
  readonly settlement: UncertainSettlement;
  readonly notices: PublishNotices;
  /** The library folders' markers: written by the primary, checked by workers before they claim anything. */
  readonly libraryMarks: LibraryMarks;
  /** Where library files are on this machine: where the index says on the primary, through VIDLIB_PATH_MAP on a worker. */
  readonly locator: LibraryLocator;
}

/** Late-bound links from services to workers built after them; read at each use. */
export interface ServiceHooks {
  /** Something changed the library folders (a sync): scan soon. */
  libraryChanged: () => void;
  /** Where sync runs report; the command line replaces the chat reporter with the terminal. */
  syncReporter?: SyncReporter;
  /** The process's one set of Bot API clients (shared throttle and message guard); made here when not given. */
  telegram?: TelegramClients;
  /** Tells other processes of the job engine about new work (LISTEN/NOTIFY on PostgreSQL); none by default. */
  enqueueSignal?: EnqueueSignal;
}


/**
 * Adapters → services, shared by the bot and the command line (the only places that build adapters).
 * Call `abbreviations.load()` and `settings.load()` before use.
 */
export function createServices(dataSource: DataSource, config: Config, notifier: AdminNotifier, clock: Clock, logger: Logger,
  hooks: ServiceHooks = { libraryChanged: () => undefined }): AppServices {
  const audit = new AuditService(new TypeormAuditStore(dataSource), clock);
  const jobStore = new TypeormJobStore(dataSource);
  const jobs = new JobQueue(jobStore, clock, ownerIsGone, hooks.enqueueSignal);
  // Follow-up work of changes to videos, tags and categories: enqueued by the services that make them.
  // Setting a category enqueues the upload queue's auto-publish check.
  const uploadEngine = new UploadJobs(jobs);
  const followUps = new VideoFollowUps(new TypeormFollowUpStore(dataSource), jobs, (videoIds) => uploadEngine.categorySet(videoIds));
  const users = new TypeormUserStore(dataSource);
  const files = new LibraryFileSystem(new Set(config.scan.extensions));
  const prober = new Ffprobe({ ffprobePath: config.ffmpeg.ffprobePath, timeoutMs: config.scan.probeTimeoutMs });
  const locator = new LibraryLocator(config.libraryFolders, config.pathMap);
  // A library folder is scanned, and a sync destination written, by one process at a time.
  const locks = new FolderLocks(new TypeormFolderLockStore(dataSource), { owner: newProcessOwner(), clock, ownerGone: ownerIsGone });
  const scanner = new LibraryScanner(
    { index: new SqliteLibraryIndex(dataSource), lister: files, hasher: files, audit, clock, prober, followUps, locator, locks },
    { roots: config.libraryRoots, maxMissingShare: config.scan.maxMissingShare, settleMs: config.scan.settleMs, probeConcurrency: config.scan.probeConcurrency },
  );
  // The dictionary re-indexes through the search service, which reads the dictionary: tie the knot lazily.
  const searchIndex = searchIndexFor(dataSource);
  const abbreviations: AbbreviationService = new AbbreviationService(new SqliteSettingsStore(dataSource), audit, clock, () => search.reindexAll());
  const search = new SearchService(searchIndex, () => abbreviations.get());
  const catalogStore = new SqliteCatalogStore(dataSource);
  const settingsStore = new SqliteSettingsStore(dataSource);
  const settings = new SettingsService(settingsStore, audit, clock);
  mkdirSync(config.folders.temp, { recursive: true });
  const conversionStore = new SqliteConversionStore(dataSource);
  const tool = new FfmpegRunner({ ffmpegPath: config.ffmpeg.ffmpegPath, niceness: 10 });
  const executor = new ConversionExecutor({
    store: conversionStore, tool, prober, files: new NodeConversionFiles(),
    adopter: scanner, clock, settings: () => settings.current, uploadLimitBytes: config.uploadLimitBytes, tempDir: config.folders.temp, followUps, locator,
  });
  const nonMp4 = config.scan.extensions.filter((e) => e !== ".mp4");
  const conversions = new ConversionService({ store: conversionStore, executor, jobs, audit, notifier, settings, clock, autoExtensions: nonMp4, uploadLimitBytes: config.uploadLimitBytes,
    // Uploads waiting for a conversion go on when it ends (the delivery is built below; read at each use).
    ended: async (videoId) => { await delivery.wakeConverted([videoId]); }, followUps });
  // Every write about an upload or a post redraws that video's shown cards.
  const uploadStore = new CardFollowingUploadStore(new TypeormUploadStore(dataSource), followUps);
  const clients = hooks.telegram ?? telegramClientsFor(config, logger);
  const telegram = clients.api();
  const notices = new PublishNotices(notifier);
  const pacer = new BottleneckPacer(config.publish);
  // Not retried by the client: a failed post is the upload queue's to pace and retry (or to call uncertain).
  const posting = clients.api({ retry: false, timeoutSeconds: config.publish.sendTimeoutS });
  const poster = new TelegramChannelPoster(posting, { localMode: config.telegram.localMode, token: config.telegram.token });
  // Drafts for review are the bot's to draw (their buttons, their status once decided).
  const desk = new TelegramReviewDesk(poster);
  const uploads = new UploadQueueService({ store: uploadStore, audit, notifier, settings, clock, engine: uploadEngine });
  const sendAgain = (job: UploadJob, channelId: number): Promise<void> => uploads.sendAgain(job, channelId);
  // Posts are looked at from the first owner's private chat: never a channel, where the forward would be seen.
  const settlement = new UncertainSettlement({ store: uploadStore, poster, pacer, audit, notices, settings, clock, probeChat: () => config.adminIds[0] ?? null, quietMs: SETTLE_QUIET_MS,
    sendAgain });
  const delivery: Delivery = new Delivery({
    store: uploadStore, conversions, poster, engine: uploadEngine,
    pacer, thumbnails: new FfmpegThumbnails(tool, config.folders.temp, logger), audit, notifier, notices, settings, clock, uploadLimitBytes: config.uploadLimitBytes,
    reviewChat: () => settings.current.reviewChatId ?? config.adminIds[0] ?? null, desk,
  });
  const roles = new RoleService(users, config.adminIds, audit, clock);
  const sync = new SyncService({
    store: new SqliteSyncStore(dataSource), files: new NodeSyncFiles(new Set(config.scan.extensions)), audit, clock, settings: () => settings.current,
    reporter: hooks.syncReporter ?? new TelegramSyncReporter(telegram, notifier, logger),
    roots: config.libraryRoots, trashDir: config.folders.trash, concurrency: config.sync.concurrency,
    madeByVidlib: (target) => vidlibMadeUnder(dataSource, target), changed: () => hooks.libraryChanged(), jobs,
    notifier, maxMissingShare: config.scan.maxMissingShare, settleMs: config.scan.settleMs, locks,
  });
  const dupes = new DupeService({ store: new SqliteDupeStore(dataSource), files: new NodeDupeFiles(), tool, audit, settings, clock, folders: config.folders, followUps,
    convert: async (videoId, actor) => (await conversions.request([videoId], "dupes", actor)).queued.length > 0 });
  return {
    jobs,
    uploadJobs: uploadEngine,
    jobStore,
    followUps,
    sync,
    dupes,
    trash: new TrashService({ dupes, sync, roots: config.libraryRoots, trashDays: () => settings.current.trashDays }),
    exports: new ExportService({ store: new SqliteExportStore(dataSource), jobs, files: new NodeExportFiles(), tool, prober, audit, notifier, clock, exportDir: config.folders.exports, locator }),
    reviews: new ReviewService({ store: uploadStore, desk, messenger: new TelegramPersonMessenger(telegram, logger), audit, clock, nameOf: (id) => roles.nameOf(id), sendAgain }),
    stats: new StatsService(new SqliteStatsStore(dataSource), clock, new ResvgChartRasteriser()),
    libraryMarks: new LibraryMarks(settingsStore, new FileFolderMarks(), new TypeormFolderNaming(dataSource), () => clock.now()),
    locator,
    processes: new ProcessRegistry(new TypeormProcessStore(dataSource), clock, notifier, ownerIsGone),
    delivery,
    settlement,
    notices,
    uploads,
    posts: new PublishedPosts({ store: uploadStore, poster, pacer, queue: uploads, audit, settings, clock }),
    channels: new ChannelService(new SqliteChannelStore(dataSource), new TelegramChannelDirectory(telegram, config.telegram.token), audit, clock),
    settings,
    configured: { uploadLimitBytes: config.uploadLimitBytes, localBotApi: config.telegram.localMode, archiveDir: config.folders.archive },
    conversions,
    audit,
    search,
    abbreviations,
    catalog: new CatalogService(catalogStore, audit, clock, followUps),
    bulk: new BulkEditService(catalogStore, new SqliteBulkStore(dataSource), audit, clock, followUps),
    chat: new ChatStateService(new SqliteChatStateStore(dataSource), clock),
    access: new AccessService(users, config.adminIds, clock),
    roles,
    categories: new CategoryService(new TypeormCategoryStore(dataSource), audit, clock, followUps),
    library: new LibraryService({ scanner, stats: new SqliteLibraryStats(dataSource), lister: files, audit, notifier, clock, roots: config.libraryRoots,
      newRecordings: () => conversions.queueAutomaticSweep(), alertMemory: settingsStore }),
    logger,
  };
}

/** The Bot API clients of a process: build one per process and pass it to everything that talks to Telegram. */
export function telegramClientsFor(config: Config, logger: Logger): TelegramClients {
  return new TelegramClients({ endpoint: config.telegram, logger, requestsPerSecond: config.publish.requestsPerSecond });
}

/** The search index of the database in use: its SQL is each database's own (FTS5, or a tsvector with GIN). */
export function searchIndexFor(dataSource: DataSource): SearchIndexStore {
  return dataSource.options.type === "postgres" ? new PostgresSearchIndex(dataSource) : new SqliteSearchIndex(dataSource);
}

export function createFolderWatcher(config: Config): ChokidarFolderWatcher {
  return new ChokidarFolderWatcher({ polling: config.scan.watchPolling, pollIntervalMs: config.scan.pollIntervalMs, stableMs: config.scan.settleMs });
}
