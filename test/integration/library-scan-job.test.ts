import { afterEach, beforeEach, expect, test } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { Video } from "../../src/entities/video.js";
import { LibraryFileSystem } from "../../src/infra/fs/library-fs.js";
import { SqliteLibraryStats } from "../../src/infra/database/stores/library-index.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { LibraryService } from "../../src/services/library/library-service.js";
import { LIBRARY_SCAN, libraryScanJob, requestScan } from "../../src/services/library/scan-job.js";
import { makeTestDatabase } from "../support/database.js";
import { deferred, makeJobEngine, until } from "../support/jobs-harness.js";
import { makeClip } from "../support/media.js";
import { makeScanner } from "../support/scanner-harness.js";
import { makeTempDir } from "../support/temp-dir.js";

let tmp: ReturnType<typeof makeTempDir>;
let db: Awaited<ReturnType<typeof makeTestDatabase>>;
let ds: DataSource;
beforeEach(async () => { tmp = makeTempDir(); db = await makeTestDatabase(); ds = db.dataSource; });
afterEach(async () => { await db.close(); tmp.cleanup(); });

/** A library of one clip whose scans hold on reading the file until `release`; counts the reads. */
function gatedLibrary() {
  const root = join(tmp.dir, "lectures");
  mkdirSync(root);
  makeClip(join(root, "Lecture 01.mp4"), { seconds: 1 });
  const { scanner, prober, audit } = makeScanner(ds, [root]);
  const gate = deferred();
  const reading = { count: 0, changed: deferred() };
  const probe = prober.probe.bind(prober);
  prober.probe = async (path) => {
    reading.count++;
    reading.changed.resolve();
    await gate.promise;
    return probe(path);
  };
  const library = new LibraryService({ scanner, stats: new SqliteLibraryStats(ds), lister: new LibraryFileSystem(new Set([".mp4"])), audit,
    notifier: { notifyAdmins: () => Promise.resolve() }, clock: systemClock, roots: [root] });
  return { library, reading, release: () => gate.resolve() };
}

const states = async () => (await ds.query<{ state: string; attempts: number }[]>(
  `SELECT state, attempts FROM job WHERE kind = 'library.scan' ORDER BY id`));

test("scan requests while a scan runs make one waiting scan, however many arrive; it runs after, and a request for sooner pulls a later one forward", async () => {
  const { library, reading, release } = gatedLibrary();
  const engine = makeJobEngine(ds, systemClock, "A");
  const scans: string[] = [];
  engine.runner.register(LIBRARY_SCAN, async (context) => {
    scans.push(context.payload.reason);
    return libraryScanJob(library, { logger: { info: () => undefined }, onSettling: () => Promise.resolve() })(context);
  }, 1);
  engine.runner.start();
  try {
    await requestScan(engine.queue, systemClock, "at start-up");
    await until(() => reading.count === 1, "the first scan reads the file");
    for (let i = 0; i < 6; i++) await requestScan(engine.queue, systemClock, `after change ${i}`);
    expect(await states()).toEqual([{ state: "running", attempts: 1 }, { state: "queued", attempts: 0 }]);
    release();
    await until(async () => (await states()).every((j) => j.state === "done"), "both scans done");
    expect(scans).toEqual(["at start-up", "after change 0"]);
    expect(await ds.getRepository(Video).countBy({ status: "indexed" })).toBe(1);

    // A scan asked for in an hour is joined by one asked for now, which runs at once.
    await requestScan(engine.queue, systemClock, "for files that were still being copied", 3_600_000);
    await requestScan(engine.queue, systemClock, "after a sync changed the library", 0);
    await until(async () => (await states()).length === 3 && (await states())[2]!.state === "done", "the joined scan ran");
    expect(scans).toHaveLength(3);
  } finally {
    await engine.runner.stop();
  }
});

test("a stop mid-scan cancels the scan and hands its job back without counting an attempt; the next process scans", async () => {
  const { library, reading, release } = gatedLibrary();
  const first = makeJobEngine(ds, systemClock, "A");
  first.runner.register(LIBRARY_SCAN, libraryScanJob(library, { logger: { info: () => undefined }, onSettling: () => Promise.resolve() }), 1);
  first.runner.start();
  await requestScan(first.queue, systemClock, "at start-up");
  await until(() => reading.count === 1, "the scan reads the file");
  const stopped = first.runner.stop();
  release();
  await stopped;
  expect(await states()).toEqual([{ state: "queued", attempts: 0 }]);
  expect(await ds.getRepository(Video).count()).toBe(0);

  const next = makeJobEngine(ds, systemClock, "B");
  next.runner.register(LIBRARY_SCAN, libraryScanJob(library, { logger: { info: () => undefined }, onSettling: () => Promise.resolve() }), 1);
  next.runner.start();
  try {
    await until(async () => (await states())[0]!.state === "done", "the next process scanned");
    expect(await ds.getRepository(Video).countBy({ status: "indexed" })).toBe(1);
  } finally {
    await next.runner.stop();
  }
});
