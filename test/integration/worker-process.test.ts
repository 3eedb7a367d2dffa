import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database/database.js";
import { TypeormProcessStore } from "../../src/infra/database/stores/process-store.js";
import { SqliteSettingsStore } from "../../src/infra/database/stores/settings-store.js";
import { TypeormFolderNaming } from "../../src/infra/database/stores/folder-naming-store.js";
import { FileFolderMarks, MARK_FILE } from "../../src/infra/fs/folder-marks.js";
import { LibraryMarks } from "../../src/services/processes/library-marks.js";
import { LOST_AFTER_MS, ProcessRegistry } from "../../src/services/processes/process-registry.js";
import { systemClock } from "../../src/services/shared/clock.js";
import type { Actor } from "../../src/services/people/actor.js";
import { Forbidden } from "../../src/services/people/permissions.js";
import { MIGRATIONS } from "../../migrations/index.js";
import { cli } from "../support/cli.js";
import { RecordingNotifier, makeConversion } from "../support/conversion-harness.js";
import { manualClock } from "../support/database.js";
import { until } from "../support/jobs-harness.js";
import { makeClip } from "../support/media.js";
import { makeTempDir } from "../support/temp-dir.js";
import { emptyPostgresDatabase, onPostgres } from "../support/postgres.js";
import { Job } from "../../src/entities/job.js";
import { ConversionJob } from "../../src/entities/conversion-job.js";
import { ProcessPresence } from "../../src/entities/process-presence.js";

const OWNER: Actor = { kind: "user", id: 1, role: "owner" };
const VIDLIB = fileURLToPath(new URL("../../bin/vidlib.js", import.meta.url));

let tmp: ReturnType<typeof makeTempDir>;
let ds: DataSource | undefined;
beforeEach(() => { tmp = makeTempDir(); });
afterEach(async () => {
  if (ds?.isInitialized) await ds.destroy();
  tmp.cleanup();
});

describe("the process registry", () => {
  test("a process that falls silent is reported once per disappearance; a stopped one never; /workers shows state, running jobs and jobs done today", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite") }));
    const clock = manualClock(Date.parse("2026-12-02T10:00:00Z"));
    const notifier = new RecordingNotifier();
    const registry = new ProcessRegistry(new TypeormProcessStore(ds), clock, notifier);
    await registry.announce({ id: "nas:10:a", name: "nas <1>", role: "worker", kinds: ["conversion", "export.hls"], host: "nas", pid: 10 });
    await registry.announce({ id: "box:20:b", name: "primary", role: "primary", kinds: ["conversion", "upload.send"], host: "box", pid: 20 });
    await registry.announce({ id: "old:30:c", name: "old", role: "worker", kinds: ["conversion"], host: "old", pid: 30 });
    await registry.goodbye("old:30:c");
    // The worker holds a conversion at 40 % and finished two jobs today (and one yesterday, which does not count).
    const now = clock.now();
    await ds.query(`INSERT INTO job (kind, payload, state, run_at, attempts, max_attempts, owner, lease_until, progress, created_at, updated_at, finished_at) VALUES
      ('conversion', '{}', 'running', 0, 1, 4, 'nas:10:a', ?, 0.4, 0, 0, NULL),
      ('conversion', '{}', 'done', 0, 1, 4, 'nas:10:a', NULL, NULL, 0, 0, ?),
      ('export.hls', '{}', 'done', 0, 1, 3, 'nas:10:a', NULL, NULL, 0, 0, ?),
      ('conversion', '{}', 'done', 0, 1, 4, 'nas:10:a', NULL, NULL, 0, 0, ?)`, [now + 45_000, now - 60_000, now - 1000, now - 30 * 3600_000]);

    let view = await registry.overview(OWNER);
    const byName = (a: readonly unknown[], b: readonly unknown[]): number => String(a[0]).localeCompare(String(b[0]));
    expect(view.map((p) => [p.name, p.state, p.doneToday, p.running.map((j) => [j.kind, j.progress])]).sort(byName)).toEqual([
      ["nas <1>", "running", 2, [["conversion", 0.4]]], ["old", "stopped", 0, []], ["primary", "running", 0, []],
    ]);
    await expect(registry.overview({ kind: "user", id: 2, role: "editor" })).rejects.toBeInstanceOf(Forbidden);

    // The primary keeps beating; the worker falls silent.
    clock.advance(LOST_AFTER_MS + 1000);
    await registry.beat("box:20:b");
    expect(await registry.reportLost()).toBe(1);
    expect(notifier.messages).toHaveLength(1);
    expect(notifier.messages[0]).toContain("Worker nas &lt;1&gt; on nas stopped answering");
    expect(notifier.messages[0]).toContain("Its running job (conversion) goes back in the queue when its lease ends");
    expect((await registry.overview(OWNER)).find((p) => p.name === "nas <1>")?.state).toBe("lost");
    // Told once, however often the check runs.
    clock.advance(60_000);
    await registry.beat("box:20:b");
    expect(await registry.reportLost()).toBe(0);
    // It comes back, then disappears again: a second notice.
    await registry.beat("nas:10:a");
    expect((await registry.overview(OWNER)).find((p) => p.name === "nas <1>")?.state).toBe("running");
    clock.advance(LOST_AFTER_MS + 1000);
    await registry.beat("box:20:b");
    expect(await registry.reportLost()).toBe(1);
    expect(notifier.messages).toHaveLength(2);
    // A graceful stop is not a disappearance.
    await registry.goodbye("box:20:b");
    clock.advance(LOST_AFTER_MS * 3);
    expect(await registry.reportLost()).toBe(0);
    view = await registry.overview(OWNER);
    expect(view.find((p) => p.name === "primary")?.state).toBe("stopped");
  });
});

const libraryMarks = (dataSource: DataSource): LibraryMarks =>
  new LibraryMarks(new SqliteSettingsStore(dataSource), new FileFolderMarks(), new TypeormFolderNaming(dataSource), () => Date.now());

describe("vidlib worker", () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    process.env.DATA_DIR = join(tmp.dir, "data");
    process.env.LIBRARY_ROOTS = join(tmp.dir, "library");
    delete process.env.TELEGRAM_BOT_TOKEN;
    delete process.env.ADMIN_IDS;
  });
  afterEach(() => { process.env = saved; });

  test("refuses a bad role list, and a database whose schema is behind or ahead of its own", async () => {
    expect(await cli("worker")).toMatchObject({ code: 2, err: expect.stringContaining("name at least one role with --roles") as unknown });
    expect(await cli("worker", "--roles", "convert,upload")).toMatchObject({ code: 2, err: expect.stringContaining("unknown role: upload") as unknown });
    expect((await cli("worker", "--help")).out).toContain("--roles   convert (conversions to MP4), export (HLS exports)");

    const path = join(tmp.dir, "data", "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    await ds.undoLastMigration({ transaction: "each" });
    const behind = await cli("worker", "--roles", "convert");
    expect(behind.code).toBe(1);
    expect(behind.err).toContain("the database is not at this vidlib's schema yet (1 migration to apply); start or update the primary first");
    await ds.runMigrations();
    await ds.query(`INSERT INTO migrations (timestamp, name) VALUES (1999999999999, 'FromTheFuture1999999999999')`);
    const ahead = await cli("worker", "--roles", "convert");
    expect(ahead.code).toBe(1);
    expect(ahead.err).toContain("the database was migrated by a newer vidlib (FromTheFuture1999999999999)");
    await ds.query(`DELETE FROM migrations WHERE name = 'FromTheFuture1999999999999'`);

    // The schema matches, but the library folders are not known to be the primary's: it claims nothing, and says why.
    const root = join(tmp.dir, "library");
    const before = await cli("worker", "--roles", "convert");
    expect(before).toMatchObject({ code: 1, err: expect.stringContaining("not claiming anything: the primary has not started on this database yet") as unknown });
    mkdirSync(root, { recursive: true });
    expect(await libraryMarks(ds).markFolders([{ name: "library", path: root }])).toEqual([]);
    // The share is not mounted on this machine: the folder is there, but empty of the marker (or missing altogether).
    rmSync(join(root, MARK_FILE));
    expect((await cli("worker", "--roles", "convert")).err).toContain(`${root} on this machine has no library marker`);
    rmSync(root, { recursive: true });
    expect((await cli("worker", "--roles", "convert")).err).toContain(`the library folder ${root} cannot be read on this machine (is the share mounted there?)`);
    // Another library's folder mounted at this path.
    mkdirSync(root);
    writeFileSync(join(root, MARK_FILE), JSON.stringify({ library: "another-library", folder: "/srv/other" }));
    expect((await cli("worker", "--roles", "convert")).err).toContain(`${root} on this machine is another library's folder (/srv/other)`);
    // Nothing was announced by a worker that refused.
    expect(await ds.query(`SELECT count(*) AS n FROM process_presence`)).toEqual([{ n: 0 }]);
    expect(MIGRATIONS.length).toBeGreaterThan(1);
  });

  test("a worker process runs the conversions another process queued, shows in the registry with its roles, and hands back on SIGTERM", async () => {
    const root = join(tmp.dir, "library");
    makeClip(join(root, "Phy L1 <&>.ts"), { video: "mpeg2", audio: "mp3" });
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") }));
    const primary = await makeConversion(ds, root, join(tmp.dir, "tmp"));
    await primary.scan();
    const id = await primary.idOf("Phy L1 <&>.ts");
    expect((await primary.service.request([id], "card", OWNER)).queued).toEqual([id]);
    // As the primary does at its start: the library folders are marked, so workers can tell they see the same ones.
    expect(await libraryMarks(ds).markFolders([{ name: "library", path: root }])).toEqual([]);

    let output = "";
    const child: ChildProcess = spawn(process.execPath, [VIDLIB, "worker", "--roles", "convert", "--name", "nas-worker-1"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: join(tmp.dir, "data"), LIBRARY_ROOTS: root },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c: Buffer) => { output += c.toString(); });
    child.stderr?.on("data", (c: Buffer) => { output += c.toString(); });
    const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
    try {
      await until(async () => {
        if (child.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
        // The conversion's row is written inside the job; the job's own end comes just after.
        const [row] = await ds!.query<{ state: string }[]>(`SELECT state FROM job WHERE kind = 'conversion'`);
        return row?.state === "done" || row?.state === "failed";
      }, "the worker to finish the conversion job");
      expect(await ds.query(`SELECT state FROM conversion_job WHERE video_id = ?`, [id])).toEqual([{ state: "done" }]);
      expect(existsSync(join(root, "Phy L1 <&>.mp4"))).toBe(true);
      const [presence] = await ds.query<{ id: string; name: string; role: string; kinds: string; stopped_at: number | null }[]>(`SELECT id, name, role, kinds, stopped_at FROM process_presence`);
      expect(presence).toMatchObject({ name: "nas-worker-1", role: "worker", kinds: "conversion", stopped_at: null });
      // The engine's row says who ran it: the worker, under the name it announced.
      expect(await ds.query(`SELECT owner, state FROM job WHERE kind = 'conversion'`)).toEqual([{ owner: presence!.id, state: "done" }]);
      const registry = new ProcessRegistry(new TypeormProcessStore(ds), systemClock, new RecordingNotifier());
      expect((await registry.overview(OWNER)).map((p) => [p.name, p.state, p.doneToday])).toEqual([["nas-worker-1", "running", 1]]);
    } finally {
      child.kill("SIGTERM");
    }
    expect({ exit: await exited, output }).toMatchObject({ exit: 0 });
    expect(output).toContain("vidlib worker nas-worker-1");
    expect(output).toContain("Stopping: running jobs go back in the queue.");
    const [after] = await ds.query<{ stopped_at: number | null }[]>(`SELECT stopped_at FROM process_presence`);
    expect(after?.stopped_at).not.toBeNull();
  });

  test("a path map pointing at another folder, another library's, an unmarked or unreachable one, or naming a folder the primary has not, is refused with the folder, the path and why", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") }));
    const lectures = join(tmp.dir, "nas", "lectures");
    const raw = join(tmp.dir, "nas", "raw");
    const unmarked = join(tmp.dir, "mnt", "empty");
    const other = join(tmp.dir, "mnt", "other-library");
    for (const dir of [lectures, raw, unmarked, other]) mkdirSync(dir, { recursive: true });
    expect(await libraryMarks(ds).markFolders([{ name: "lectures", path: lectures }, { name: "raw", path: raw }])).toEqual([]);
    writeFileSync(join(other, MARK_FILE), JSON.stringify({ library: "another-library", folder: "lectures" }));
    const refusal = async (map: string): Promise<string> => {
      process.env.VIDLIB_PATH_MAP = map;
      const result = await cli("worker", "--roles", "convert");
      expect(result.code).toBe(1);
      return result.err;
    };
    const mapped = `VIDLIB_PATH_MAP maps the folder lectures there; the primary has it at ${lectures}`;
    expect(await refusal(`lectures=${raw}`)).toContain(`not claiming anything: ${raw} on this machine is this library's folder raw, not lectures; ${mapped}.`);
    expect(await refusal(`lectures=${other}`)).toContain(`${other} on this machine is another library's folder (lectures), not the primary's lectures; ${mapped}.`);
    expect(await refusal(`lectures=${unmarked}`)).toContain(`${unmarked} on this machine has no library marker: it is not the primary's library folder, or the primary could not write its marker there; ${mapped}.`);
    const nowhere = join(tmp.dir, "mnt", "not-mounted");
    expect(await refusal(`lectures=${nowhere}`)).toContain(`the library folder ${nowhere} cannot be read on this machine (is the share mounted there?); ${mapped}.`);
    expect(await refusal(`lecture=${lectures}`)).toContain("VIDLIB_PATH_MAP names lecture, which the primary has no folder of (its folders: lectures, raw).");
    // An unmapped folder is looked for at the primary's path, and the message says so.
    rmSync(raw, { recursive: true });
    expect(await refusal(`lectures=${lectures}`)).toContain(`the library folder ${raw} cannot be read on this machine (is the share mounted there?); the folder raw, at the primary's path (VIDLIB_PATH_MAP does not map it).`);
    // A map that is not name=path is a configuration error (exit 2), named with the variable.
    process.env.VIDLIB_PATH_MAP = lectures;
    expect(await cli("worker", "--roles", "convert")).toMatchObject({ code: 2, err: expect.stringContaining("VIDLIB_PATH_MAP:") as unknown });
    // Folders recorded by a primary from before folders had names.
    process.env.VIDLIB_PATH_MAP = "";
    await new SqliteSettingsStore(ds).set("library.folders", JSON.stringify([lectures]), Date.now());
    expect(await refusal("")).toContain("the primary has not recorded its library folders' names yet (start the primary of this version first)");
    expect(await ds.query(`SELECT count(*) AS n FROM process_presence`)).toEqual([{ n: 0 }]);
  });

  test("a worker that mounts the folder elsewhere converts through its path map, and the output is indexed under the folder's name with the primary's path; a folder renamed on the primary keeps its videos", async () => {
    // The primary's library folder, scanned there and named after its last segment.
    const primaryPath = join(tmp.dir, "nas", "lectures");
    makeClip(join(primaryPath, "Phy L1 <&>.ts"), { video: "mpeg2", audio: "mp3" });
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") }));
    const primary = await makeConversion(ds, primaryPath, join(tmp.dir, "tmp"));
    await primary.scan();
    const id = await primary.idOf("Phy L1 <&>.ts");
    expect(await ds.query(`SELECT folder FROM video WHERE id = ?`, [id])).toEqual([{ folder: "lectures" }]);
    expect((await primary.service.request([id], "card", OWNER)).queued).toEqual([id]);
    // The primary restarts with the folder renamed in LIBRARY_ROOTS (talks=<same path>): the same rows, under the new name.
    expect(await libraryMarks(ds).markFolders([{ name: "talks", path: primaryPath }])).toEqual([]);
    expect(await ds.query(`SELECT id, folder FROM video`)).toEqual([{ id, folder: "talks" }]);

    // The worker's machine mounts the same folder elsewhere; the primary's path does not exist there.
    const mount = join(tmp.dir, "worker-mnt", "talks");
    mkdirSync(join(tmp.dir, "worker-mnt"));
    renameSync(primaryPath, mount);
    let output = "";
    const child: ChildProcess = spawn(process.execPath, [VIDLIB, "worker", "--roles", "convert", "--name", "mapped"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: join(tmp.dir, "data"), LIBRARY_ROOTS: `talks=${primaryPath}`, VIDLIB_PATH_MAP: `talks=${mount}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c: Buffer) => { output += c.toString(); });
    child.stderr?.on("data", (c: Buffer) => { output += c.toString(); });
    const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
    try {
      await until(async () => {
        if (child.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
        const [row] = await ds!.query<{ state: string }[]>(`SELECT state FROM job WHERE kind = 'conversion'`);
        return row?.state === "done" || row?.state === "failed";
      }, "the worker to finish the conversion job");
      const converted = join(primaryPath, "Phy L1 <&>.mp4");
      expect(await ds.query(`SELECT state, reason, output_path FROM conversion_job WHERE video_id = ?`, [id])).toEqual([{ state: "done", reason: null, output_path: converted }]);
      expect(await ds.query(`SELECT path, root, folder, relative_path, derived_from_id, status FROM video WHERE id <> ?`, [id])).toEqual([
        { path: converted, root: primaryPath, folder: "talks", relative_path: "Phy L1 <&>.mp4", derived_from_id: id, status: "indexed" },
      ]);
      expect(existsSync(join(mount, "Phy L1 <&>.mp4"))).toBe(true);
      expect(existsSync(primaryPath)).toBe(false);
    } finally {
      child.kill("SIGTERM");
    }
    expect({ exit: await exited, output }).toMatchObject({ exit: 0 });
  });
});

onPostgres("vidlib worker", (serverUrl) => {
  let database: Awaited<ReturnType<typeof emptyPostgresDatabase>> | undefined;
  afterEach(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await database?.drop();
    database = undefined;
  });

  test("a worker process on PostgreSQL runs the conversion the primary's services queued, on the server's clock, and hands back on SIGTERM", async () => {
    database = await emptyPostgresDatabase(serverUrl);
    const root = join(tmp.dir, "library");
    makeClip(join(root, "Phy L1 <&>.ts"), { video: "mpeg2", audio: "mp3" });
    ({ dataSource: ds } = await openDatabase({ driver: "postgres", url: database.url }));
    const primary = await makeConversion(ds, root, join(tmp.dir, "tmp"));
    await primary.scan();
    const id = await primary.idOf("Phy L1 <&>.ts");
    // The worker is started first and waits: the conversion queued after it is announced over LISTEN/NOTIFY (the poll stays underneath).
    expect(await libraryMarks(ds).markFolders([{ name: "library", path: root }])).toEqual([]);
    let output = "";
    const child: ChildProcess = spawn(process.execPath, [VIDLIB, "worker", "--roles", "convert", "--name", "pg-worker-1"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: join(tmp.dir, "data"), LIBRARY_ROOTS: root, DATABASE_URL: database.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c: Buffer) => { output += c.toString(); });
    child.stderr?.on("data", (c: Buffer) => { output += c.toString(); });
    const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
    const jobs = ds.getRepository(Job);
    try {
      await until(() => {
        if (child.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
        return output.includes("vidlib worker pg-worker-1");
      }, "the worker to start");
      expect((await primary.service.request([id], "card", OWNER)).queued).toEqual([id]);
      await until(async () => {
        if (child.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
        const row = await jobs.findOne({ where: { kind: "conversion" } });
        return row?.state === "done" || row?.state === "failed";
      }, "the worker to finish the conversion job");
      expect(await ds.getRepository(ConversionJob).find({ select: { state: true }, where: { videoId: id } })).toEqual([{ state: "done" }]);
      expect(existsSync(join(root, "Phy L1 <&>.mp4"))).toBe(true);
      const presence = await ds.getRepository(ProcessPresence).findOneOrFail({ where: { name: "pg-worker-1" } });
      expect(presence).toMatchObject({ role: "worker", kinds: "conversion", stoppedAt: null });
      expect(await jobs.find({ select: { owner: true, state: true }, where: { kind: "conversion" } })).toEqual([{ owner: presence.id, state: "done" }]);
    } finally {
      child.kill("SIGTERM");
    }
    expect({ exit: await exited, output }).toMatchObject({ exit: 0 });
    expect(output).toContain("Stopping: running jobs go back in the queue.");
    expect((await ds.getRepository(ProcessPresence).findOneOrFail({ where: { name: "pg-worker-1" } })).stoppedAt).not.toBeNull();
  });
});
