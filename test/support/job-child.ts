// Run as a child process by the job engine's tests: `node dist/test/support/job-child.js <mode> <db> <dir>`.
// One process of the engine on the shared database file, with real timers and the process clock:
// - count: kind "noop", 4 slots; each run appends its job id to <dir>/runs-<pid>.
// - group: kind "grouped", 4 slots; each run holds an exclusive lock file for its group and records an overlap if it finds one taken.
// - hold: kind "held"; each run says "started <id>" and waits until it is aborted (the test kills this process).
// - finish: kind "held"; each run says "finished <id>" and ends.
// - ffmpeg: kind "encode"; each run starts a long ffmpeg into <dir>/<id>.partial.mp4, says "ffmpeg <pid> <path>",
//   and on abort stops ffmpeg and removes the partial file.
// SIGTERM stops the runner gracefully and exits. Lease and poll come from JOBS_LEASE_MS and JOBS_POLL_MS.
// With DATABASE_URL set, <db> is ignored and the engine runs on that PostgreSQL database as vidlib would there:
// the server's clock for leases and LISTEN/NOTIFY wake-ups.
import { spawn } from "node:child_process";
import { appendFileSync, closeSync, existsSync, openSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../src/infra/database/database.js";
import { engineClock } from "../../src/infra/database/database-clock.js";
import { enqueueSignalFor } from "../../src/infra/database/postgres-notify.js";
import { newProcessOwner } from "../../src/infra/system/process-owner.js";
import { jobKind, type JobContext } from "../../src/services/jobs/job.js";
import { makeJobEngine } from "./jobs-harness.js";

const [mode = "", dbPath = "", dir = ""] = process.argv.slice(2);
const leaseMs = Number(process.env.JOBS_LEASE_MS ?? 3000);
const kind = <P>(name: string) => jobKind<P>({ name, maxAttempts: 5, backoffMs: [0], leaseMs });
const say = (line: string) => process.stdout.write(`${line}\n`);

const url = process.env.DATABASE_URL;
const { dataSource } = await openDatabase(url ? { driver: "postgres", url } : { path: dbPath, busyTimeoutMs: 30_000 });
const signal = await enqueueSignalFor(dataSource, console);
const { runner } = makeJobEngine(dataSource, await engineClock(dataSource), newProcessOwner(), { pollMs: Number(process.env.JOBS_POLL_MS ?? 20) }, undefined, signal);

const untilAborted = (signal: AbortSignal) => new Promise<never>((_resolve, reject) => {
  if (signal.aborted) reject(signal.reason as Error);
  signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
});

async function encode({ job, signal }: JobContext<unknown>): Promise<void> {
  const output = join(dir, `${job.id}.partial.mp4`);
  const ffmpeg = spawn("ffmpeg", ["-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=10", "-t", "3600",
    "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", "-y", output], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => ffmpeg.once("exit", () => resolve()));
  while (!existsSync(output)) await new Promise((r) => setTimeout(r, 10));
  say(`ffmpeg ${ffmpeg.pid} ${output}`);
  try {
    await Promise.race([untilAborted(signal), exited.then(() => { throw new Error("ffmpeg ended early"); })]);
  } finally {
    ffmpeg.kill("SIGKILL");
    await exited;
    rmSync(output, { force: true });
  }
}

switch (mode) {
  case "count":
    runner.register(kind<null>("noop"), ({ job }) => { appendFileSync(join(dir, `runs-${process.pid}`), `${job.id}\n`); return Promise.resolve(); }, 4);
    break;
  case "group":
    runner.register(kind<null>("grouped"), async ({ job }) => {
      const lock = join(dir, `group-${job.group}.lock`);
      let fd: number;
      try {
        fd = openSync(lock, "wx");
      } catch {
        appendFileSync(join(dir, "overlaps"), `${job.id}\n`);
        return;
      }
      await new Promise((r) => setTimeout(r, 2));
      closeSync(fd);
      unlinkSync(lock);
      appendFileSync(join(dir, `runs-${process.pid}`), `${job.id}\n`);
    }, 4);
    break;
  case "hold":
    runner.register(kind<null>("held"), ({ job, signal }) => { say(`started ${job.id}`); return untilAborted(signal); }, 1);
    break;
  case "finish":
    runner.register(kind<null>("held"), ({ job }) => { say(`finished ${job.id}`); return Promise.resolve(); }, 1);
    break;
  case "ffmpeg":
    runner.register(kind<null>("encode"), encode, 1);
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
runner.start();
// The runner's poll timer does not keep a process alive (the bot does, in vidlib); here nothing else would.
const keepAlive = setInterval(() => undefined, 1 << 30);
say("ready");
process.once("SIGTERM", () => {
  clearInterval(keepAlive);
  void runner.stop().then(() => signal.close()).then(() => dataSource.destroy()).then(() => process.exit(0));
});
