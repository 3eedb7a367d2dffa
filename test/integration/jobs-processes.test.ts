import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database.js";
import { systemClock } from "../../src/services/clock.js";
import { jobKind } from "../../src/services/jobs/job.js";
import { makeJobEngine, until } from "../support/jobs-harness.js";
import { makeTempDir } from "../support/temp-dir.js";

// Real OS processes of the engine on one SQLite file (see test/support/job-child.ts).
const CHILD = fileURLToPath(new URL("../../dist/test/support/job-child.js", import.meta.url));
const LEASE_MS = 1500;
const kind = (name: string) => jobKind<null>({ name, maxAttempts: 5, backoffMs: [0], leaseMs: LEASE_MS });

class Child {
  out = "";
  readonly process: ChildProcess;
  readonly exited: Promise<void>;

  constructor(mode: string, db: string, dir: string) {
    this.process = spawn(process.execPath, [CHILD, mode, db, dir], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", JOBS_LEASE_MS: String(LEASE_MS), JOBS_POLL_MS: "20" },
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

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("job engine across processes", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ds: DataSource;
  let db: string;
  const children: Child[] = [];
  const child = async (mode: string) => {
    const c = new Child(mode, db, tmp.dir);
    children.push(c);
    await c.line(/^ready$/m);
    return c;
  };
  const count = async (state: string) => (await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE state = ?`, [state]))[0]!.n;
  const runsPerJob = () => {
    const runs = new Map<number, number>();
    for (const file of readdirSync(tmp.dir).filter((f) => f.startsWith("runs-"))) {
      for (const id of readFileSync(join(tmp.dir, file), "utf8").split("\n").filter(Boolean).map(Number)) runs.set(id, (runs.get(id) ?? 0) + 1);
    }
    return runs;
  };

  beforeEach(async () => {
    tmp = makeTempDir();
    db = join(tmp.dir, "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path: db, busyTimeoutMs: 30_000 }));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) await c.stop();
    await ds.destroy();
    tmp.cleanup();
  });

  test("two processes with four slots each run 1,000 jobs, each exactly once", async () => {
    const [a, b] = [await child("count"), await child("count")];
    const { queue } = makeJobEngine(ds, systemClock, "test");
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
    const { queue } = makeJobEngine(ds, systemClock, "test");
    for (let i = 0; i < 300; i++) await queue.enqueue(kind("grouped"), null, { group: `channel:${i % 12}` });
    await until(async () => (await count("done")) === 300, "300 jobs done");
    expect(existsSync(join(tmp.dir, "overlaps")) ? readFileSync(join(tmp.dir, "overlaps"), "utf8") : "").toBe("");
    expect([...runsPerJob().values()].reduce((a, b) => a + b, 0)).toBe(300);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith("runs-"))).toHaveLength(2);
  });

  test("a SIGKILLed process's job is taken over by the other running process after its lease, and the dead owner's late finish is refused", async () => {
    const holder = await child("hold");
    const { queue, store } = makeJobEngine(ds, systemClock, "test");
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
    expect(await store.finish({ id: job.id, owner: taken.owner!, attempt: 1 }, "failed", "late", systemClock.now())).toBe(false);
    expect(await queue.get(job.id)).toMatchObject({ state: "done", reason: null });
  });

  test("a cancel requested from another process stops a running ffmpeg within a heartbeat and removes its partial output", async () => {
    const encoder = await child("ffmpeg");
    const { queue } = makeJobEngine(ds, systemClock, "test");
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
