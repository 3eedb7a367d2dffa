// npm run bench -- cluster: 1,000 no-op jobs through 1, 2 and 4 worker OS processes (4 slots each) on
// PostgreSQL, against the same jobs in one process on SQLite, in one run. Jobs per second from "go" to the
// last job done; claim latency p99 (the claim statement's round trip, over every PostgreSQL run); duplicates
// (jobs run more than once) and lost (jobs not done), both must be 0. On one machine the scaling figure is
// the claim's overhead, not the work's: the workers share its cores and the server. PostgreSQL: BENCH_PG_URL
// or VIDLIB_TEST_PG_URL (a database it may CREATE DATABASE from), else a throwaway cluster.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDatabase, type DatabaseOptions } from "../src/infra/database/database.js";
import { Job } from "../src/entities/job.js";
import { postgresServer } from "../test/support/postgres-cluster.js";
import { NOOP } from "./cluster-kind.js";
import { round } from "./support.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const CHILD = fileURLToPath(new URL("./cluster-child.js", import.meta.url));

interface RunResult { seconds: number; ran: number[]; claimMs: number[]; notDone: number }

function startChild(db: DatabaseOptions, out: string) {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...(db.driver === "postgres" ? { DATABASE_URL: db.url } : {}) };
  const child = spawn(process.execPath, [CHILD, db.driver === "postgres" ? "-" : db.path, out], { env, stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => { text += chunk.toString(); if (/^ready$/m.test(text)) resolve(); });
    void exited.then(() => reject(new Error(`a worker exited before it was ready: ${text}`)));
  });
  return { child, exited, ready };
}

/** Queues the jobs, starts `workers` processes, says go to all at once and waits until every job is done. */
async function run(db: DatabaseOptions, workers: number, dir: string): Promise<RunResult> {
  const { dataSource } = await openDatabase(db);
  try {
    const now = Date.now() - 1000;
    const rows = Array.from({ length: JOBS }, () => ({ kind: NOOP.name, payload: "null", state: "queued" as const, priority: 0, runAt: now, attempts: 0,
      maxAttempts: NOOP.maxAttempts, cancelRequested: false, createdAt: now, updatedAt: now }));
    for (let i = 0; i < rows.length; i += 200) await dataSource.getRepository(Job).insert(rows.slice(i, i + 200));
    const outs = Array.from({ length: workers }, (_, i) => join(dir, `${db.driver}-${workers}-${i}.json`));
    const children = outs.map((out) => startChild(db, out));
    await Promise.all(children.map((c) => c.ready));
    const start = performance.now();
    for (const c of children) c.child.stdin.write("go\n");
    const jobs = dataSource.getRepository(Job);
    // The bench's own poll only measures: the workers find their jobs themselves.
    while ((await jobs.countBy({ state: "done" })) < JOBS) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - start) / 1000;
    for (const c of children) c.child.kill("SIGTERM");
    await Promise.all(children.map((c) => c.exited));
    const reports = outs.map((out) => JSON.parse(readFileSync(out, "utf8")) as { ran: number[]; claimMs: number[] });
    const notDone = JOBS - (await jobs.countBy({ state: "done" }));
    await jobs.clear();
    return { seconds, ran: reports.flatMap((r) => r.ran), claimMs: reports.flatMap((r) => r.claimMs), notDone };
  } finally {
    await dataSource.destroy();
  }
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const p99 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
};

const server = postgresServer({ VIDLIB_TEST_PG_URL: process.env.BENCH_PG_URL ?? process.env.VIDLIB_TEST_PG_URL });
if ("unavailable" in server) {
  process.stderr.write(`cluster bench: no PostgreSQL server: ${server.unavailable}\n`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), "vidlib-bench-cluster-"));
try {
  const url = await createDatabase(server.url, `vidlib_bench_cluster_${process.pid}`);
  const results: Record<string, RunResult> = {};
  results.sqlite_1 = await run({ path: join(dir, "vidlib.sqlite") }, 1, dir);
  for (const workers of [1, 2, 4]) results[`pg_${workers}`] = await run({ driver: "postgres", url }, workers, dir);
  let duplicates = 0;
  let lost = 0;
  for (const [name, r] of Object.entries(results)) {
    const counts = new Map<number, number>();
    for (const id of r.ran) counts.set(id, (counts.get(id) ?? 0) + 1);
    const dup = [...counts.values()].filter((n) => n > 1).length;
    duplicates += dup;
    lost += Math.max(r.notDone, JOBS - counts.size);
    process.stdout.write(`${name}: ${JOBS} jobs in ${round(r.seconds, 2)} s = ${Math.round(JOBS / r.seconds)}/s; claim p50 ${round(r.claimMs.sort((a, b) => a - b)[Math.floor(r.claimMs.length / 2)] ?? 0, 2)} ms, `
      + `p99 ${round(p99(r.claimMs), 2)} ms; run twice ${dup}, not done ${r.notDone}\n`);
  }
  const pgClaims = ["pg_1", "pg_2", "pg_4"].flatMap((name) => results[name]!.claimMs);
  const perS = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, Math.round(JOBS / r.seconds)]));
  process.stdout.write(`${JSON.stringify({ bench: "cluster", jobs: JOBS, duplicates, lost, per_s: perS, claim_p99_ms: round(p99(pgClaims), 2) })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  server.stop();
}
