// One worker process of the cluster bench: `node dist/bench/cluster-child.js <sqlite file | -> <out file>`, with
// DATABASE_URL set for PostgreSQL. Opens the database, says "ready", starts its runner (4 slots of no-op jobs)
// on "go" from stdin, and on SIGTERM stops and writes the job ids it ran and its claims' round trips to <out file>.
import { writeFileSync } from "node:fs";
import { pino } from "pino";
import { openDatabase } from "../src/infra/database/database.js";
import { engineClock } from "../src/infra/database/database-clock.js";
import { newProcessOwner } from "../src/infra/system/process-owner.js";
import { TypeormJobStore } from "../src/infra/database/stores/job-store.js";
import type { JobRecord } from "../src/services/jobs/job.js";
import { JobQueue } from "../src/services/jobs/job-queue.js";
import { JobRunner } from "../src/workers/job-runner.js";
import { NOOP, SLOTS } from "./cluster-kind.js";

/** The real store, timing each claim that took a job. */
class TimedStore extends TypeormJobStore {
  readonly claimMs: number[] = [];

  override async claim(kind: string, owner: string, now: number, leaseMs: number, key?: string): Promise<JobRecord | null> {
    const start = performance.now();
    const job = await super.claim(kind, owner, now, leaseMs, key);
    if (job !== null) this.claimMs.push(performance.now() - start);
    return job;
  }
}

const [path = "", out = ""] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
const { dataSource } = await openDatabase(url ? { driver: "postgres", url, poolSize: SLOTS + 2 } : { path, busyTimeoutMs: 30_000 });
const store = new TimedStore(dataSource);
const clock = await engineClock(dataSource);
const runner = new JobRunner({ store, queue: new JobQueue(store, clock), clock, logger: pino({ level: "warn" }), owner: newProcessOwner(), pollMs: 20 });
const ran: number[] = [];
runner.register(NOOP, ({ job }) => { ran.push(job.id); return Promise.resolve(); }, SLOTS);
const keepAlive = setInterval(() => undefined, 1 << 30);
process.stdin.once("data", () => runner.start());
process.once("SIGTERM", () => {
  clearInterval(keepAlive);
  void runner.stop().then(() => dataSource.destroy()).then(() => {
    writeFileSync(out, JSON.stringify({ ran, claimMs: store.claimMs }));
    process.exit(0);
  });
});
process.stdout.write("ready\n");
