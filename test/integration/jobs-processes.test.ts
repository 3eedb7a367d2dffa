import { afterEach, beforeEach, expect, test } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DataSource } from "typeorm";
import { engineClock } from "../../src/infra/database/database-clock.js";
import { enqueueSignalFor, type ClosableEnqueueSignal } from "../../src/infra/database/postgres-notify.js";
import { Job } from "../../src/entities/job.js";
import type { Clock } from "../../src/services/shared/clock.js";
import { jobKind } from "../../src/services/jobs/job.js";
import { makeJobEngine, until } from "../support/jobs-harness.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";
import { makeTempDir } from "../support/temp-dir.js";

// Real OS processes of the engine on one database: a SQLite file, or a PostgreSQL database given to each
// child as DATABASE_URL (see test/support/job-child.ts).
const CHILD = fileURLToPath(new URL("../../dist/test/support/job-child.js", import.meta.url));
const LEASE_MS = 1500;
const kind = (name: string) => jobKind<null>({ name, maxAttempts: 5, backoffMs: [0], leaseMs: LEASE_MS });

class Child {
  out = "";
  readonly process: ChildProcess;
  readonly exited: Promise<void>;

  constructor(mode: string, db: Target, dir: string, pollMs = 20) {
    this.process = spawn(process.execPath, [CHILD, mode, db.path ?? "-", dir], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", JOBS_LEASE_MS: String(LEASE_MS), JOBS_POLL_MS: String(pollMs),
        ...(db.url === undefined ? {} : { DATABASE_URL: db.url }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process.stdout?.on("data", (chunk: Buffer) => { this.out += chunk.toString(); });
    this.process.stderr?.on("data", (chunk: Buffer) => { this.out += chunk.toString(); });
    this.exited = new Promise((resolve) => this.process.once("exit", () => resolve()));
  }

  async line(pattern: RegExp): Promise<RegExpMatchArray> {
    await until(() => {
      if (this.process.exitCode !== null) throw new Error(`child exited before ${pattern}:\n${this.out}`);
      return pattern.test(this.out);
    }, String(pattern));
    return this.out.match(pattern)!;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill("SIGTERM");
    await this.exited;
  }
}

/** Where a child finds the database: the SQLite file, or the PostgreSQL URL. */
interface Target { readonly path?: string; readonly url?: string }

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

eachDatabase("job engine across processes", (open, driver) => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: TestDatabase;
  let ds: DataSource;
  let target: Target;
  let clock: Clock;
  let signal: ClosableEnqueueSignal;
  const children: Child[] = [];
  const child = async (mode: string, pollMs?: number) => {
    const c = new Child(mode, target, tmp.dir, pollMs);
    children.push(c);
    await c.line(/^ready$/m);
    return c;
  };
  /** This test's process of the engine, on the engine's clock and enqueue signal for the database. */
  const engine = () => makeJobEngine(ds, clock, "test", {}, undefined, signal);
  const count = async (state: Job["state"]) => ds.getRepository(Job).countBy({ state });
  const runsPerJob = () => {
    const runs = new Map<number, number>();
    for (const file of readdirSync(tmp.dir).filter((f) => f.startsWith("runs-"))) {
      for (const id of readFileSync(join(tmp.dir, file), "utf8").split("\n").filter(Boolean).map(Number)) runs.set(id, (runs.get(id) ?? 0) + 1);
    }
    return runs;
  };

  beforeEach(async () => {
    tmp = makeTempDir();
    db = await open();
    ds = db.dataSource;
    target = ds.options.type === "postgres" ? { url: ds.options.url } : { path: ds.options.database as string };
    clock = await engineClock(ds);
    signal = await enqueueSignalFor(ds, console);
  });
  afterEach(async () => {
    for (const c of children.splice(0)) await c.stop();
    await signal.close();
    await db.close();
    tmp.cleanup();
  });

  test("two processes with four slots each run 1,000 jobs, each exactly once", async () => {
    const [a, b] = [await child("count"), await child("count")];
    const { queue } = engine();
    for (let i = 0; i < 1000; i++) await queue.enqueue(kind("noop"), null);
    await until(async () => (await count("done")) === 1000, "1,000 jobs done");
    await Promise.all([a.stop(), b.stop()]);
    const runs = runsPerJob();
    expect(runs.size).toBe(1000);
    expect([...runs.values()].filter((n) => n !== 1)).toEqual([]);
    // Both processes took part: the test is about two claimers, not one.
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith("runs-"))).toHaveLength(2);
  });

  test("a group never has two jobs running at once across two processes with four slots each", async () => {
    // Twelve groups of 25: more groups than one process has slots, so both processes take part.
    await Promise.all([child("group"), child("group")]);
    const { queue } = engine();
    for (let i = 0; i < 300; i++) await queue.enqueue(kind("grouped"), null, { group: `channel:${i % 12}` });
    await until(async () => (await count("done")) === 300, "300 jobs done");
    expect(existsSync(join(tmp.dir, "overlaps")) ? readFileSync(join(tmp.dir, "overlaps"), "utf8") : "").toBe("");
    expect([...runsPerJob().values()].reduce((a, b) => a + b, 0)).toBe(300);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith("runs-"))).toHaveLength(2);
  });

  test("one group's jobs run one at a time under load: three processes with four slots each, 150 jobs of the group", async () => {
    await Promise.all([child("group"), child("group"), child("group")]);
    const { queue } = engine();
    for (let i = 0; i < 150; i++) await queue.enqueue(kind("grouped"), null, { group: "channel:busy" });
    await until(async () => (await count("done")) === 150, "150 jobs done");
    expect(existsSync(join(tmp.dir, "overlaps")) ? readFileSync(join(tmp.dir, "overlaps"), "utf8") : "").toBe("");
    expect([...runsPerJob().values()]).toEqual(Array.from({ length: 150 }, () => 1));
  });

  test.runIf(driver === "postgres")("an enqueue in one process wakes another process's runner through NOTIFY, with its poll an hour away", async () => {
    // The child looked for work once at its start and polls again in an hour: only the notification can start it.
    const other = await child("finish", 3_600_000);
    const { queue } = engine();
    const { job } = await queue.enqueue(kind("held"), null);
    await other.line(new RegExp(`^finished ${job.id}$`, "m"));
    await until(async () => (await queue.get(job.id))?.state === "done", "the job done by the other process");
  });

  test("a SIGKILLed process's job is taken over by the other running process after its lease, and the dead owner's late finish is refused", async () => {
    const holder = await child("hold");
    const { queue, store } = engine();
    const { job } = await queue.enqueue(kind("held"), null);
    await holder.line(new RegExp(`^started ${job.id}$`, "m"));
    const taken = (await queue.get(job.id))!;
    expect(taken).toMatchObject({ state: "running", attempts: 1 });
    const other = await child("finish");
    holder.process.kill("SIGKILL");
    await holder.exited;
    await other.line(new RegExp(`^finished ${job.id}$`, "m"));
    await until(async () => (await queue.get(job.id))?.state === "done", "the job done by the other process");
    const done = (await queue.get(job.id))!;
    expect(done.attempts).toBe(2);
    expect(done.finishedAt!).toBeGreaterThanOrEqual(taken.leaseUntil!);
    expect(await store.finish({ id: job.id, owner: taken.owner!, attempt: 1 }, "failed", "late", clock.now())).toBe(false);
    expect(await queue.get(job.id)).toMatchObject({ state: "done", reason: null });
  });

  test("a cancel requested from another process stops a running ffmpeg within a heartbeat and removes its partial output", async () => {
    const encoder = await child("ffmpeg");
    const { queue } = engine();
    const { job } = await queue.enqueue(kind("encode"), null);
    const [, pid, partial] = await encoder.line(/^ffmpeg (\d+) (\S+)$/m);
    expect(alive(Number(pid))).toBe(true);
    expect(existsSync(partial!)).toBe(true);
    expect(await queue.cancel(job.id)).toBe("requested");
    await until(async () => (await queue.get(job.id))?.state === "cancelled", "the job cancelled");
    expect(alive(Number(pid))).toBe(false);
    expect(existsSync(partial!)).toBe(false);
    expect(await queue.get(job.id)).toMatchObject({ reason: "cancelled while running", attempts: 1 });
  });
});
