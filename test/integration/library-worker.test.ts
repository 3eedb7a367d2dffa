import { afterEach, beforeEach, expect, test } from "vitest";
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { Video } from "../../src/entities/video.js";
import { ChokidarFolderWatcher } from "../../src/infra/fs/folder-watcher.js";
import { LibraryFileSystem } from "../../src/infra/fs/library-fs.js";
import { SqliteLibraryStats } from "../../src/infra/database/stores/library-index.js";
import { createLogger } from "../../src/infra/logging/logger.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { systemActor } from "../../src/services/people/actor.js";
import { SqliteSettingsStore } from "../../src/infra/database/stores/settings-store.js";
import { LibraryService } from "../../src/services/library/library-service.js";
import { LibraryWorker } from "../../src/workers/library-worker.js";
import { LIBRARY_SCAN, libraryScanJob } from "../../src/services/library/scan-job.js";
import { makeJobEngine } from "../support/jobs-harness.js";
import { CaptureStream } from "../support/capture-stream.js";
import { makeTestDatabase } from "../support/database.js";
import { makeClip } from "../support/media.js";
import { makeScanner } from "../support/scanner-harness.js";
import { makeTempDir } from "../support/temp-dir.js";
import { adminNoticeHtml } from "../../src/bot/views/admin-notices.js";
import { HANG_GUARD_MS } from "../support/patience.js";

let tmp: ReturnType<typeof makeTempDir>;
let db: Awaited<ReturnType<typeof makeTestDatabase>>;
let ds: DataSource;
beforeEach(async () => { tmp = makeTempDir(); db = await makeTestDatabase(); ds = db.dataSource; });
afterEach(async () => { await db.close(); tmp.cleanup(); });

const until = async (check: () => Promise<boolean>, timeoutMs = HANG_GUARD_MS): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
};

test("a file copied in slowly is indexed once it has stopped growing, and never probed half-written", async () => {
  const root = join(tmp.dir, "lectures");
  mkdirSync(root);
  const source = makeClip(join(tmp.dir, "source.mp4"), { seconds: 2 });
  const { scanner, prober, audit } = makeScanner(ds, [root], { settleMs: 1500 });
  const notified: string[] = [];
  const library = new LibraryService({ scanner, stats: new SqliteLibraryStats(ds), lister: new LibraryFileSystem(new Set([".mp4"])), audit,
    notifier: { notifyAdmins: (notice) => { notified.push(adminNoticeHtml(notice)); return Promise.resolve(); } }, clock: systemClock, roots: [root] });
  const logger = createLogger({ level: "silent", pretty: false, secrets: [], destination: new CaptureStream() });
  // The scans run on the job engine, as in the app.
  const engine = makeJobEngine(ds, systemClock, "library-worker-test");
  const worker = new LibraryWorker(library, engine.queue, systemClock, new ChokidarFolderWatcher({ polling: false, pollIntervalMs: 1000, stableMs: 500 }),
    logger, { watch: true, settleMs: 1500, debounceMs: 200 });
  engine.runner.register(LIBRARY_SCAN, libraryScanJob(library, { logger, onSettling: () => worker.afterSettling() }), 1);
  engine.runner.start();
  worker.start();
  try {
    await new Promise((r) => setTimeout(r, 500));
    const bytes = readFileSync(source);
    const target = join(root, "Lecture 01.mp4");
    const third = Math.ceil(bytes.length / 3);
    writeFileSync(target, bytes.subarray(0, third));
    for (const part of [bytes.subarray(third, 2 * third), bytes.subarray(2 * third)]) {
      await new Promise((r) => setTimeout(r, 700));
      appendFileSync(target, part);
    }
    await until(async () => (await ds.getRepository(Video).count()) === 1);
    const video = await ds.getRepository(Video).findOneByOrFail({ fileName: "Lecture 01.mp4" });
    expect(video.status).toBe("indexed");
    expect(video.durationS).toBeCloseTo(2, 0);
    expect(prober.probed).toEqual([target]);
    expect(notified).toEqual([]);
  } finally {
    await worker.stop();
    await engine.runner.stop();
  }
});

test("a folder alerted before a restart gets its one all-clear from the next process when it is back", async () => {
  const root = join(tmp.dir, "lectures");
  mkdirSync(root);
  for (let i = 1; i <= 4; i++) makeClip(join(root, `L${i}.mp4`), { seconds: 1 });
  const notified: string[] = [];
  const settings = new SqliteSettingsStore(ds);
  const inProcess = () => {
    const { scanner, audit } = makeScanner(ds, [root]);
    return new LibraryService({ scanner, stats: new SqliteLibraryStats(ds), lister: new LibraryFileSystem(new Set([".mp4"])), audit,
      notifier: { notifyAdmins: (notice) => { notified.push(notice.kind); return Promise.resolve(); } }, clock: systemClock, roots: [root], alertMemory: settings });
  };
  const scan = async (library: LibraryService) => library.startScan(systemActor("test")).report;
  const first = inProcess();
  await scan(first);
  // Unmounted: the mount point is there, empty; nothing is marked missing and the admins are told once.
  renameSync(root, join(tmp.dir, "share"));
  mkdirSync(root);
  await scan(first);
  await scan(first);
  expect(notified).toEqual(["library.folder-attention"]);

  // The process restarts; the share comes back.
  const second = inProcess();
  rmdirSync(root);
  renameSync(join(tmp.dir, "share"), root);
  await scan(second);
  await scan(second);
  expect(notified).toEqual(["library.folder-attention", "library.folder-back"]);
  expect(await ds.getRepository(Video).countBy({ status: "indexed" })).toBe(4);
});
