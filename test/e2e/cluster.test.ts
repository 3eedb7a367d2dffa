import { afterAll, beforeAll, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database/database.js";
import { Job } from "../../src/entities/job.js";
import { ConversionJob } from "../../src/entities/conversion-job.js";
import { Video } from "../../src/entities/video.js";
import { Setting } from "../../src/entities/setting.js";
import { BotProcess } from "../support/bot-process.js";
import { isolationAvailable, startWorker, type WorkerMachine } from "../support/cluster.js";
import { cli } from "../support/cli.js";
import { DatabaseLink } from "../support/db-link.js";
import { until } from "../support/jobs-harness.js";
import { makeClip } from "../support/media.js";
import { emptyPostgresDatabase, onPostgres } from "../support/postgres.js";
import { makeTempDir } from "../support/temp-dir.js";
import { TelegramEmulator } from "../support/telegram/index.js";

const ADMIN = 1001;
const RECORDINGS = 200;
const isolation = isolationAvailable();

/** The output a source was converted to: its name with .mp4 (see outputNameFor). */
const mp4Of = (ts: string): string => ts.replace(/\.ts$/, ".mp4");

onPostgres(`a cluster: a primary and two conversion workers on machines of their own (${isolation.ok ? "mount and network namespaces" : `plain processes: ${isolation.why}`})`, (serverUrl) => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: { url: string; drop: () => Promise<void> };
  let emu: TelegramEmulator;
  let ds: DataSource;
  let primary: BotProcess;
  const workers = new Map<string, { process: BotProcess; link: DatabaseLink; machine: WorkerMachine }>();
  let share: string;
  let primaryEnv: Record<string, string>;

  const jobs = () => ds.getRepository(Job).find({ where: { kind: "conversion" }, order: { id: "ASC" } });
  const conversions = () => ds.getRepository(ConversionJob).find({ order: { id: "ASC" } });
  const videoAt = (path: string) => ds.getRepository(Video).findOneBy({ path });

  const machine = (name: string, map = name): WorkerMachine => ({
    name, share, mountAt: join(tmp.dir, name, "mnt", "lectures"), hide: join(tmp.dir, "share"), isolate: isolation.ok,
    env: { DATA_DIR: join(tmp.dir, name, "data"), VIDLIB_PATH_MAP: `lectures=${join(tmp.dir, map, "mnt", "lectures")}`, LOG_LEVEL: "info" },
  });
  const launch = async (name: string): Promise<void> => {
    const link = await DatabaseLink.to(serverUrl);
    const m = machine(name);
    const process = startWorker({ ...m, env: { ...m.env, DATABASE_URL: link.through(db.url) } }, tmp.dir);
    workers.set(name, { process, link, machine: m });
    await process.waitForOutput(new RegExp(`vidlib worker ${name} \\(([^)]+)\\) running`));
  };
  const ownerOf = (name: string): string => new RegExp(`vidlib worker ${name} \\(([^)]+)\\) running`).exec(workers.get(name)!.process.output)![1]!;
  const admin = () => emu.user({ id: ADMIN, firstName: "Asha" });
  /** Waits for a state; on a hang, says where the cluster stood (jobs by state and owner, each process's last lines). */
  const waitFor = async (check: () => Promise<boolean>, what: string): Promise<void> => {
    try {
      await until(check, what);
    } catch (e) {
      const counts = new Map<string, number>();
      for (const j of await jobs()) counts.set(`${j.state} ${j.owner ?? "-"} x${j.attempts}`, (counts.get(`${j.state} ${j.owner ?? "-"} x${j.attempts}`) ?? 0) + 1);
      const tail = (text: string) => text.split("\n").slice(-15).join("\n");
      throw new Error(`${(e as Error).message}\nconversion jobs: ${JSON.stringify([...counts])}\nconversions: ${(await conversions()).length}\n`
        + `primary:\n${tail(primary.output)}\n${[...workers].map(([n, w]) => `${n}:\n${tail(w.process.output)}`).join("\n")}`, { cause: e });
    }
  };
  /** A new recording in the share, found by the scan an admin asks for, and queued for conversion by the primary. */
  const record = async (name: string, seconds: number): Promise<ConversionJob> => {
    makeClip(join(share, name), { seconds, video: "mpeg2", size: "640x360", rate: 25, pattern: "testsrc2" });
    await admin().send("/scan");
    let found: ConversionJob | undefined;
    await waitFor(async () => {
      const video = await videoAt(join(share, name));
      found = video === null ? undefined : (await conversions()).find((c) => c.videoId === video.id);
      return found !== undefined;
    }, `the conversion of ${name} to be queued`);
    return found!;
  };
  /** The engine's job of a conversion (read afresh: the conversion row names it). */
  const engineJob = async (conversion: ConversionJob): Promise<Job | null> => {
    const { jobId } = await ds.getRepository(ConversionJob).findOneByOrFail({ id: conversion.id });
    return jobId === null ? null : ds.getRepository(Job).findOneByOrFail({ id: jobId });
  };

  /** Waits until a conversion is under way (its engine job held, ffmpeg past its first progress report); its engine job. */
  const underWay = async (conversion: ConversionJob): Promise<Job> => {
    let running: Job | null = null;
    await waitFor(async () => {
      running = await engineJob(conversion);
      const { progress } = await ds.getRepository(ConversionJob).findOneByOrFail({ id: conversion.id });
      return running?.state === "running" && (progress ?? 0) > 0;
    }, "the long conversion to be under way");
    return running!;
  };

  beforeAll(async () => {
    tmp = makeTempDir("vidlib-cluster-");
    share = join(tmp.dir, "share", "lectures");
    mkdirSync(share, { recursive: true });
    // 200 different one-second recordings from one ffmpeg run: a segmented test pattern.
    execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", `testsrc=size=160x90:rate=15:duration=${RECORDINGS}`, "-f", "lavfi", "-i", `sine=duration=${RECORDINGS}`,
      "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-c:a", "aac", "-f", "segment", "-segment_time", "1", "-reset_timestamps", "1",
      join(share, "JEE-Adv_Phy_L%03d.ts")]);
    expect(readdirSync(share).filter((n) => n.endsWith(".ts")).length).toBeGreaterThanOrEqual(RECORDINGS);
    db = await emptyPostgresDatabase(serverUrl);
    emu = await TelegramEmulator.start({ profile: "local", botUsername: "vidlib_test_bot" });
    primaryEnv = {
      TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, TELEGRAM_LOCAL_MODE: "true", ADMIN_IDS: String(ADMIN),
      DATA_DIR: join(tmp.dir, "primary"), DATABASE_URL: db.url, LIBRARY_ROOTS: `lectures=${share}`, WATCH: "false", SCAN_SETTLE_SECONDS: "0",
      // The primary leaves conversions to the workers.
      PRIMARY_ROLES: "none",
    };
    // Recordings found from now on are converted automatically.
    const migrated = await cli("migrate");
    expect(migrated.code).toBe(0);
    ({ dataSource: ds } = await openDatabase({ driver: "postgres", url: db.url }));
    await ds.getRepository(Setting).save({ key: "convert.auto_since", value: String(Date.now() - 60_000), updatedAt: Date.now() });
    primary = new BotProcess(primaryEnv, tmp.dir);
    await primary.waitForOutput(/vidlib is running/);
    await launch("w1");
    await launch("w2");
  });

  afterAll(async () => {
    for (const { process, link } of workers.values()) {
      process.kill("SIGKILL");
      await process.exited;
      await link.close();
    }
    primary?.kill("SIGTERM");
    await primary?.exited;
    await ds?.destroy();
    await emu?.stop();
    await db?.drop();
    tmp?.cleanup();
  });

  test(`${RECORDINGS} conversions spread over both workers: every job runs once, every output verifies and is indexed at the primary's path, none is lost`, async () => {
    // Two hundred conversions take a while on a busy machine: the hang guard restarts whenever one more ends.
    let ended = -1;
    for (;;) {
      const before = ended;
      let all: ConversionJob[] = [];
      await waitFor(async () => {
        all = await conversions();
        // Ended: its history says so and its engine job has recorded the end (a moment later).
        const finished = new Set((await jobs()).filter((j) => j.state === "done" || j.state === "failed").map((j) => j.id));
        ended = all.filter((c) => (c.state === "done" || c.state === "failed") && c.jobId !== null && finished.has(c.jobId)).length;
        return ended > before;
      }, `${RECORDINGS} conversions to end (${before} ended so far)`);
      if (all.length >= RECORDINGS && ended === all.length) break;
    }
    const all = await conversions();
    expect(all.filter((c) => c.state !== "done")).toEqual([]);
    const engine = await jobs();
    expect(engine.filter((j) => j.state !== "done" || j.attempts !== 1)).toEqual([]);
    const owners = new Map<string, number>();
    for (const j of engine) owners.set(j.owner ?? "", (owners.get(j.owner ?? "") ?? 0) + 1);
    // Both workers did part of it, and nothing else ran a conversion.
    expect([...owners.keys()].sort()).toEqual([ownerOf("w1"), ownerOf("w2")].sort());
    for (const c of all) {
      const source = await ds.getRepository(Video).findOneByOrFail({ id: c.videoId });
      const output = join(share, mp4Of(source.fileName));
      expect(c.outputPath).toBe(output);
      expect(existsSync(output)).toBe(true);
      const probed = execFileSync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", output], { encoding: "utf8" }).trim();
      expect(probed).toBe("h264");
      // Indexed where the primary sees it, never at a worker's mount point.
      expect(await videoAt(output)).toMatchObject({ id: c.outputVideoId });
    }
    expect((await ds.getRepository(Video).find()).filter((v) => !v.path.startsWith(share))).toEqual([]);
    // Nothing half-written is left in the share.
    expect(readdirSync(share).filter((n) => n.startsWith(".vidlib-"))).toEqual([]);
  // Hang guard only (the wait above restarts its own with each conversion that ends): 200 conversions on a busy 2-core machine.
  }, 1_800_000);

  test("kill -9 of a worker mid-conversion: its job finishes on the other worker, and its partial output never appears under the final name", async () => {
    const conversion = await record("Long_Lecture_kill.ts", 60);
    const running = await underWay(conversion);
    const victim = [...workers.entries()].find(([name]) => ownerOf(name) === running.owner)![0];
    const survivor = victim === "w1" ? "w2" : "w1";
    workers.get(victim)!.process.kill("SIGKILL");
    await workers.get(victim)!.process.exited;
    await waitFor(async () => (await engineJob(conversion))?.state === "done", "the job to finish elsewhere");
    expect(await engineJob(conversion)).toMatchObject({ state: "done", owner: ownerOf(survivor), attempts: 2 });
    const output = join(share, "Long_Lecture_kill.mp4");
    expect(readdirSync(share).filter((n) => n.startsWith("Long_Lecture_kill"))).toEqual(["Long_Lecture_kill.mp4", "Long_Lecture_kill.ts"]);
    expect(readdirSync(share).filter((n) => n.startsWith(".vidlib-"))).toEqual([]);
    expect(execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", output], { encoding: "utf8" }).trim()).toMatch(/^(59|60)\./);
    // The machine comes back.
    await workers.get(victim)!.link.close();
    await launch(victim);
  });

  test("a worker cut off from the database loses its lease and aborts; the job finishes on the other; its late finish is refused", { timeout: 900_000 }, async () => {
    const conversion = await record("Long_Lecture_cut.ts", 60);
    const running = await underWay(conversion);
    const cutName = [...workers.keys()].find((name) => ownerOf(name) === running.owner)!;
    const other = cutName === "w1" ? "w2" : "w1";
    const cut = workers.get(cutName)!;
    cut.link.cut();
    await waitFor(async () => (await engineJob(conversion))?.state === "done", "the job to finish on the other worker after the lease");
    expect(await engineJob(conversion)).toMatchObject({ state: "done", owner: ownerOf(other), attempts: 2 });
    await cut.process.waitForOutput(/lease could not be renewed for a whole lease|lease was lost/);
    // The link comes back: whatever the cut-off worker still had to say is refused, and nothing changes. A
    // cut longer than the server's authentication timeout may also have broken a connection the driver was
    // opening: then the worker stops (code 1, for its service to restart it) instead of carrying on.
    cut.link.restore();
    const refused = new RegExp(`"job":${running.id},"attempt":1,"kind":"conversion","msg":"a job (stopped|ended) after its lease was lost; its result is not recorded"`);
    await Promise.race([cut.process.waitForOutput(refused).catch(() => undefined), cut.process.exited]);
    if (!refused.test(cut.process.output)) {
      expect((await cut.process.exited).code).toBe(1);
      expect(cut.process.output).toContain("the worker stops on an unexpected error");
    }
    expect(await engineJob(conversion)).toMatchObject({ state: "done", owner: ownerOf(other), attempts: 2 });
    expect(readdirSync(share).filter((n) => n.startsWith("Long_Lecture_cut"))).toEqual(["Long_Lecture_cut.mp4", "Long_Lecture_cut.ts"]);
    expect(readdirSync(share).filter((n) => n.startsWith(".vidlib-"))).toEqual([]);
    expect(await conversions().then((all) => all.filter((c) => c.state !== "done"))).toEqual([]);
  });

  test("a second primary refuses to start and the bot keeps one getUpdates consumer; a worker mapped to the wrong folder claims nothing and says why", async () => {
    const second = new BotProcess({ ...primaryEnv, DATA_DIR: join(tmp.dir, "primary-2") }, tmp.dir);
    expect((await second.exited).code).toBe(1);
    expect(second.output).toMatch(/another vidlib primary (is running|already runs) on this database/);
    await admin().send("/status");
    await admin().waitForBotMessage((m) => m.text?.startsWith("📚 Library") ?? false);
    expect(emu.violations).toEqual([]);

    const elsewhere = join(tmp.dir, "w3", "mnt", "lectures");
    mkdirSync(elsewhere, { recursive: true });
    copyFileSync(join(share, "JEE-Adv_Phy_L000.ts"), join(elsewhere, "JEE-Adv_Phy_L000.ts"));
    const link = await DatabaseLink.to(serverUrl);
    const wrong = startWorker({ ...machine("w3"), isolate: false, mountAt: join(tmp.dir, "w3", "unused"),
      env: { ...machine("w3").env, DATABASE_URL: link.through(db.url) } }, tmp.dir);
    expect((await wrong.exited).code).toBe(1);
    expect(wrong.output).toContain("not claiming anything");
    expect(wrong.output).toContain(elsewhere);
    expect(wrong.output).toMatch(/lectures/);
    await link.close();
  });
});
