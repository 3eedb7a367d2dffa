// Folder sync: vidlib's sync (plan, partial files, fsync, rename, SQLite bookkeeping) against plain copies
// in the same run. Full copy: `cp -a`. No-change re-sync: `cp -au` (GNU cp's update mode), which also
// compares every file and copies nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../src/infra/database/database.js";
import { NodeSyncFiles } from "../src/infra/fs/sync-files.js";
import { TypeormAuditStore } from "../src/infra/database/stores/audit-store.js";
import { SqliteSettingsStore } from "../src/infra/database/stores/settings-store.js";
import { SqliteSyncStore } from "../src/infra/database/stores/sync-store.js";
import { AuditService } from "../src/services/audit/audit.js";
import { systemClock } from "../src/services/shared/clock.js";
import { SettingsService } from "../src/services/settings/settings.js";
import { pino } from "pino";
import { TypeormJobStore } from "../src/infra/database/stores/job-store.js";
import { JobQueue } from "../src/services/jobs/job-queue.js";
import { JobRunner } from "../src/workers/job-runner.js";
import { SYNC_RUN } from "../src/services/sync/sync-job.js";
import { SyncService } from "../src/services/sync/sync-service.js";
import { round, sh } from "./support.js";

const FILES = Number(process.env.BENCH_FILES ?? 200);
const MB = Number(process.env.BENCH_FILE_MB ?? 2);
const SYSTEM = { kind: "system" as const, name: "bench" };

const dir = mkdtempSync(join(tmpdir(), "vidlib-bench-sync-"));
try {
  const source = join(dir, "source");
  const chunk = Buffer.alloc(MB * 1024 * 1024);
  for (let i = 0; i < FILES; i++) {
    chunk.writeUInt32LE(i, 0);
    mkdirSync(join(source, `Folder ${i % 10}`), { recursive: true });
    writeFileSync(join(source, `Folder ${i % 10}`, `Lecture ${i}.mp4`), chunk);
  }
  const { dataSource } = await openDatabase({ path: join(dir, "vidlib.sqlite") });
  const audit = new AuditService(new TypeormAuditStore(dataSource), systemClock);
  const settings = new SettingsService(new SqliteSettingsStore(dataSource), audit, systemClock);
  await settings.load();
  const library = join(dir, "library");
  mkdirSync(library);
  const jobStore = new TypeormJobStore(dataSource);
  const jobs = new JobQueue(jobStore, systemClock);
  const sync = new SyncService({
    store: new SqliteSyncStore(dataSource), files: new NodeSyncFiles(new Set([".mp4"])), audit, clock: systemClock, settings: () => settings.current,
    reporter: { progress: () => undefined, final: () => Promise.resolve() }, roots: [library], trashDir: join(dir, "trash"),
    concurrency: 2, madeByVidlib: () => Promise.resolve(new Set()), changed: () => undefined, jobs,
    notifier: { notifyAdmins: () => Promise.resolve() }, maxMissingShare: 1, settleMs: 0,
  });
  const runner = new JobRunner({ store: jobStore, queue: jobs, clock: systemClock, logger: pino({ level: "silent" }), owner: "bench" });
  runner.register(SYNC_RUN, (context) => sync.run(context), 1);
  sync.useRunner((key) => runner.runOnce(SYNC_RUN, key));
  const added = await sync.register(SYSTEM, source, join(library, "synced"));
  if (!added.ok) throw new Error(added.problem);
  const timed = async (work: () => unknown): Promise<number> => {
    sh("sync");
    const start = performance.now();
    await work();
    return (performance.now() - start) / 1000;
  };
  const runSync = async (): Promise<void> => {
    const started = await sync.start(SYSTEM, added.folder.id, "none");
    if (started.kind !== "started") throw new Error(started.kind);
    const run = await started.done;
    if (run?.state !== "done") throw new Error(`sync ended ${run?.state ?? "nowhere"}`);
  };
  const cpFull = await timed(() => sh(`cp -a "${source}" "${join(dir, "cp-copy")}"`));
  const vidlibFull = await timed(runSync);
  const cpUpdate = await timed(() => sh(`cp -au "${source}/." "${join(dir, "cp-copy")}/"`));
  const vidlibUpdate = await timed(runSync);
  await dataSource.destroy();
  const figures = {
    files: FILES, fileMb: MB,
    fullCopy: { vidlibS: round(vidlibFull), cpS: round(cpFull), ratio: round(vidlibFull / cpFull, 2), vidlibMBps: round((FILES * MB * 1.048576) / vidlibFull, 1) },
    noChangeResync: { vidlibS: round(vidlibUpdate), cpUpdateS: round(cpUpdate), ratio: round(vidlibUpdate / cpUpdate, 2) },
  };
  process.stdout.write(`Full copy of ${FILES} × ${MB} MiB: vidlib ${figures.fullCopy.vidlibS} s, cp -a ${figures.fullCopy.cpS} s (×${figures.fullCopy.ratio})\n`);
  process.stdout.write(`No-change re-sync: vidlib ${figures.noChangeResync.vidlibS} s, cp -au ${figures.noChangeResync.cpUpdateS} s (×${figures.noChangeResync.ratio})\n`);
  process.stdout.write(`${JSON.stringify({ benchmark: "sync", ...figures })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
