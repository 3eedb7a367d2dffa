import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { FolderLock } from "../../src/entities/folder-lock.js";
import { Video } from "../../src/entities/video.js";
import { openDatabase } from "../../src/infra/database/database.js";
import { Ffprobe } from "../../src/infra/ffmpeg/ffprobe.js";
import { LibraryFileSystem } from "../../src/infra/fs/library-fs.js";
import { TypeormAuditStore } from "../../src/infra/database/stores/audit-store.js";
import { TypeormFolderLockStore } from "../../src/infra/database/stores/folder-lock-store.js";
import { SqliteLibraryIndex } from "../../src/infra/database/stores/library-index.js";
import { systemActor } from "../../src/services/people/actor.js";
import { AuditService } from "../../src/services/audit/audit.js";
import { systemClock } from "../../src/services/shared/clock.js";
import { DEFAULT_VIDEO_EXTENSIONS } from "../../src/services/library/extensions.js";
import { LibraryPaths } from "../../src/services/library/library-paths.js";
import type { MediaProber } from "../../src/services/library/media.js";
import { summaryText } from "../../src/services/library/scan-summary.js";
import { LibraryScanner } from "../../src/services/library/scanner.js";
import { FolderLocks } from "../../src/services/locks/folder-locks.js";
import { cli } from "../support/cli.js";
import { deferred, until } from "../support/jobs-harness.js";
import { makeClip } from "../support/media.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";
import { makeTempDir } from "../support/temp-dir.js";

eachDatabase("folder locks", (open) => {
  let db: TestDatabase;
  beforeEach(async () => { db = await open(); });
  afterEach(async () => { await db.close(); });
  const locksOf = (owner: string, options: { leaseMs?: number; ownerGone?: (owner: string) => boolean } = {}) =>
    new FolderLocks(new TypeormFolderLockStore(db.dataSource), { owner, clock: systemClock, ...options });

  test("one holder at a time; the other is told who holds it; released, it is free for the next", async () => {
    const a = locksOf("host-a:1:aaaa");
    const b = locksOf("host-b:2:bbbb");
    const held = await a.take("scan:/library");
    expect("held" in held).toBe(true);
    expect(await b.take("scan:/library")).toEqual({ busy: { owner: "host-a:1:aaaa", renewedAt: expect.any(Number) } });
    // The same process does not take its own lock twice either: two scans of one folder never overlap.
    expect(await a.take("scan:/library")).toMatchObject({ busy: { owner: "host-a:1:aaaa" } });
    // Another folder is another lock.
    const other = await b.take("scan:/other");
    expect("held" in other).toBe(true);
    if ("held" in held) await held.held.release();
    const next = await b.take("scan:/library");
    expect("held" in next).toBe(true);
    if ("held" in next) await next.held.release();
    if ("held" in other) await other.held.release();
    expect(await db.dataSource.getRepository(FolderLock).count()).toBe(0);
  });

  test("a holder that crashed frees its lock when its lease runs out, and at once when it is known to be gone", async () => {
    const store = new TypeormFolderLockStore(db.dataSource);
    // Taken and never renewed or released: the process died.
    expect(await store.take("scan:/library", "host-a:1:dead", 300, Date.now())).toEqual({ taken: true });
    const b = locksOf("host-b:2:bbbb");
    expect(await b.take("scan:/library")).toMatchObject({ busy: { owner: "host-a:1:dead" } });
    const taken: Awaited<ReturnType<FolderLocks["take"]>>[] = [];
    await until(async () => "held" in taken[taken.push(await b.take("scan:/library")) - 1]!, "the dead holder's lease to run out");
    const last = taken.at(-1)!;
    if ("held" in last) await last.held.release();

    expect(await store.take("sync:/library/x", "host-a:1:dead", 3_600_000, Date.now())).toEqual({ taken: true });
    const c = locksOf("host-c:3:cccc", { ownerGone: (owner) => owner === "host-a:1:dead" });
    const atOnce = await c.take("sync:/library/x");
    expect("held" in atOnce).toBe(true);
    expect(await db.dataSource.getRepository(FolderLock).findOneByOrFail({ name: "sync:/library/x" })).toMatchObject({ owner: "host-c:3:cccc" });
  });

  test("a live holder keeps its lock past one lease by renewing it, and hears when it lost it", async () => {
    const a = locksOf("host-a:1:aaaa", { leaseMs: 300 });
    const b = locksOf("host-b:2:bbbb", { leaseMs: 300 });
    const held = await a.take("scan:/library");
    if (!("held" in held)) throw new Error("not taken");
    const repo = db.dataSource.getRepository(FolderLock);
    const first = await repo.findOneByOrFail({ name: "scan:/library" });
    await until(async () => Number((await repo.findOneByOrFail({ name: "scan:/library" })).renewedAt) > Number(first.leaseUntil), "a renewal after the first lease's end");
    expect(await b.take("scan:/library")).toMatchObject({ busy: { owner: "host-a:1:aaaa" } });
    // Someone else holds it now (as after this process was cut off from the database for longer than its lease).
    await repo.update({ name: "scan:/library" }, { owner: "host-b:2:bbbb" });
    await until(() => held.held.lost.aborted, "the holder to hear that the lock is lost");
    await held.held.release();
    expect(await repo.findOneByOrFail({ name: "scan:/library" })).toMatchObject({ owner: "host-b:2:bbbb" });
  });
});

/** ffprobe, but each probe first waits until the test opens the gate. */
class GatedProber implements MediaProber {
  readonly reached = deferred();
  readonly gate = deferred();
  private readonly real = new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 });

  async probe(path: string, signal?: AbortSignal) {
    this.reached.resolve();
    await this.gate.promise;
    return this.real.probe(path, signal);
  }
}

let clips: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  clips = makeTempDir("vidlib-clips-");
  makeClip(join(clips.dir, "one.mp4"), { seconds: 1 });
});
afterAll(() => clips.cleanup());

describe("a library folder is scanned by one process at a time", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let root: string;
  const open: DataSource[] = [];
  beforeEach(() => {
    tmp = makeTempDir();
    root = join(tmp.dir, "library");
    mkdirSync(root);
    copyFileSync(join(clips.dir, "one.mp4"), join(root, "one.mp4"));
  });
  afterEach(async () => {
    for (const ds of open.splice(0)) if (ds.isInitialized) await ds.destroy();
    tmp.cleanup();
  });

  /** A scanner as one process has it: its own connection to the database file, its own owner name on locks. */
  async function scannerProcess(owner: string, prober: MediaProber = new Ffprobe({ ffprobePath: "ffprobe", timeoutMs: 30_000 })) {
    const { dataSource } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite"), busyTimeoutMs: 30_000 });
    open.push(dataSource);
    const files = new LibraryFileSystem(new Set(DEFAULT_VIDEO_EXTENSIONS));
    const scanner = new LibraryScanner({
      index: new SqliteLibraryIndex(dataSource), lister: files, hasher: files, prober, audit: new AuditService(new TypeormAuditStore(dataSource), systemClock), clock: systemClock,
      locks: new FolderLocks(new TypeormFolderLockStore(dataSource), { owner, clock: systemClock }),
    }, { roots: [root], maxMissingShare: 0.2, settleMs: 0, probeConcurrency: 2 });
    const scan = () => {
      const start = scanner.start(systemActor("test"));
      if (!start.started) throw new Error("this scanner is busy");
      return start.report;
    };
    return { dataSource, scan };
  }

  test("two scanners on one database: the second skips the folder the first is scanning, says so, and scans it once it is free", async () => {
    const gated = new GatedProber();
    const primary = await scannerProcess("media-pc:4242:prim", gated);
    const cliScan = await scannerProcess("media-pc:4343:cli0");
    const first = primary.scan();
    await gated.reached.promise;

    const skipped = await cliScan.scan();
    expect(skipped).toMatchObject({ found: 0, new: 0, missing: 0, roots: [], busy: [{ root, holder: "media-pc:4242:prim" }] });
    expect(summaryText(skipped, (t) => t, new LibraryPaths([root]))).toContain("⏭ library: skipped, another process is scanning it (process 4242 on media-pc, last heard from");

    gated.gate.resolve();
    expect(await first).toMatchObject({ found: 1, new: 1, busy: [] });
    expect(await cliScan.scan()).toMatchObject({ found: 1, new: 0, busy: [] });
    expect(await primary.dataSource.getRepository(Video).count()).toBe(1);
    expect(await primary.dataSource.getRepository(FolderLock).count()).toBe(0);
  });

  test("vidlib scan skips a folder the primary is scanning and names it", async () => {
    const saved = { ...process.env };
    try {
      process.env.DATA_DIR = join(tmp.dir, "data");
      process.env.LIBRARY_ROOTS = root;
      process.env.SCAN_SETTLE_SECONDS = "0";
      delete process.env.TELEGRAM_BOT_TOKEN;
      delete process.env.ADMIN_IDS;
      const { dataSource } = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") });
      open.push(dataSource);
      // The primary (on another machine, so not known to be gone) holds the folder's scan lock.
      const primary = new FolderLocks(new TypeormFolderLockStore(dataSource), { owner: "nas:77:prim", clock: systemClock });
      // Locked by the folder's name (here named after its last segment), as every machine sees it.
      const held = await primary.take(FolderLocks.scanName("library"));
      if (!("held" in held)) throw new Error("not taken");
      const busy = await cli("scan");
      expect(busy.out).toContain("⏭ library: skipped, another process is scanning it (process 77 on nas");
      expect(await dataSource.getRepository(Video).count()).toBe(0);
      await held.held.release();
      const free = await cli("scan");
      expect(free.code).toBe(0);
      expect(free.out).not.toContain("skipped");
      expect(await dataSource.getRepository(Video).count()).toBe(1);
    } finally {
      process.env = saved;
    }
  });
});

describe("a sync destination is written by one run at a time", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    tmp = makeTempDir();
    saved = { ...process.env };
  });
  afterEach(() => {
    process.env = saved;
    tmp.cleanup();
  });

  test("vidlib sync waits while another process writes into the same destination, then copies", async () => {
    const source = join(tmp.dir, "share", "Lectures");
    const library = join(tmp.dir, "library");
    const target = join(library, "Lectures");
    mkdirSync(source, { recursive: true });
    mkdirSync(library);
    copyFileSync(join(clips.dir, "one.mp4"), join(source, "one.mp4"));
    process.env.DATA_DIR = join(tmp.dir, "data");
    process.env.LIBRARY_ROOTS = library;
    process.env.SCAN_SETTLE_SECONDS = "0";
    delete process.env.TELEGRAM_BOT_TOKEN;
    delete process.env.ADMIN_IDS;
    expect((await cli("sync", "add", source, target)).code).toBe(0);
    const { dataSource } = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") });
    try {
      const other = new FolderLocks(new TypeormFolderLockStore(dataSource), { owner: "nas:77:sync", clock: systemClock });
      const held = await other.take(FolderLocks.syncName(target));
      if (!("held" in held)) throw new Error("not taken");
      const run = cli("sync");
      const runState = async () => (await dataSource.query<{ state: string }[]>(`SELECT state FROM sync_run`))[0]?.state;
      const lockOf = async () => (await dataSource.getRepository(FolderLock).findOneBy({ name: FolderLocks.syncName(target) }))?.owner;
      await until(async () => (await runState()) === "planning", "the run to start and wait for its destination");
      expect(await lockOf()).toBe("nas:77:sync");
      expect(existsSync(join(target, "one.mp4"))).toBe(false);
      await held.held.release();
      const done = await run;
      expect(done.code).toBe(0);
      expect(await runState()).toBe("done");
      expect(await lockOf()).toBeUndefined();
      const copied = await dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM sync_item WHERE action = 'copy'`);
      expect(copied[0]?.n).toBe(1);
    } finally {
      await dataSource.destroy();
    }
  });
});
