// Run as a child process by tests (`node dist/test/support/stalled-sync.js <folderId>`): a sync of one
// folder, built from the real adapters and run as a job by this process, whose copy stops half way and waits
// there, so that the test can kill the process mid-copy. It prints "copying <runId>" at that point.
import { join } from "node:path";
import { environmentWithDotenv, loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/infra/database/database.js";
import { NodeSyncFiles } from "../../src/infra/fs/sync-files.js";
import { pino } from "pino";
import { newProcessOwner } from "../../src/infra/system/process-owner.js";
import { TypeormJobStore } from "../../src/infra/database/stores/job-store.js";
import { JobQueue } from "../../src/services/jobs/job-queue.js";
import { SYNC_RUN } from "../../src/services/sync/sync-job.js";
import { JobRunner } from "../../src/workers/job-runner.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { SqliteSettingsStore } from "../../src/infra/database/stores/settings-store.js";
import { SqliteSyncStore, vidlibMadeUnder } from "../../src/infra/database/stores/sync-store.js";
import { systemActor } from "../../src/services/people/actor.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { SettingsService } from "../../src/services/settings/settings.js";
import type { SyncFile } from "../../src/services/sync/sync-plan.js";
import { SyncService } from "../../src/services/sync/sync-service.js";

class StallingFiles extends NodeSyncFiles {
  constructor(extensions: ReadonlySet<string>, private readonly onStall: () => void) {
    super(extensions);
  }

  override async copy(from: string, to: string, expected: SyncFile, onBytes: (n: number, resumed: boolean) => void, signal: AbortSignal): Promise<number> {
    const halfway = new AbortController();
    let seen = 0;
    await super.copy(from, to, expected, (n, resumed) => {
      onBytes(n, resumed);
      seen += n;
      if (seen >= expected.size / 2) halfway.abort();
    }, AbortSignal.any([signal, halfway.signal])).catch(() => undefined);
    this.onStall();
    return new Promise<number>(() => undefined); // never: the test kills this process here
  }
}

const folderId = Number(process.argv[2]);
const config = loadConfig(environmentWithDotenv(process.env, process.cwd()), process.cwd(), { requireToken: false, requireAdmins: false });
const { dataSource } = await openDatabase({ path: config.databasePath });
const audit = new AuditService(new TypeormAuditStore(dataSource), systemClock);
const settings = new SettingsService(new SqliteSettingsStore(dataSource), audit, systemClock);
await settings.load();
let runId = 0;
const jobStore = new TypeormJobStore(dataSource);
const jobs = new JobQueue(jobStore, systemClock);
const sync = new SyncService({
  store: new SqliteSyncStore(dataSource), audit, clock: systemClock, settings: () => settings.current,
  files: new StallingFiles(new Set(config.scan.extensions), () => process.stdout.write(`copying ${runId}\n`)),
  reporter: { progress: () => undefined, final: () => Promise.resolve() },
  roots: config.libraryRoots, trashDir: join(config.folders.trash), concurrency: 1,
  madeByVidlib: (target) => vidlibMadeUnder(dataSource, target), changed: () => undefined, jobs,
  notifier: { notifyAdmins: () => Promise.resolve() }, maxMissingShare: config.scan.maxMissingShare, settleMs: config.scan.settleMs,
});
// The run's job is claimed and its lease renewed by this process's runner, as in `vidlib sync`.
const runner = new JobRunner({ store: jobStore, queue: jobs, clock: systemClock, logger: pino({ level: "silent" }), owner: newProcessOwner() });
runner.register(SYNC_RUN, (context) => sync.run(context), 1);
sync.useRunner((key) => runner.runOnce(SYNC_RUN, key));
const started = await sync.start(systemActor("cli"), folderId, "none");
if (started.kind !== "started") throw new Error(`the sync did not start: ${started.kind}`);
runId = started.runId;
await started.done;
