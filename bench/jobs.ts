// npm run bench -- jobs: the job engine on SQLite. Throughput: no-op jobs claimed and finished per second by
// the engine (one process, 4 slots: lease, fenced finish, heartbeat timer, wake-up) against a bare loop of
// prepared `UPDATE … RETURNING` claims and plain finishes on the same database file in the same run
// (claim_ratio = engine ÷ bare; target ≥ 0.5). Latency: enqueue to handler start while idle, in one
// process (p99 target ≤ 100 ms). Duplicates: jobs the engine ran more than once (target: none).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openDatabase } from "../src/infra/database/database.js";
import { rawDatabase } from "../src/infra/database/stores/raw-sqlite.js";
import { TypeormJobStore } from "../src/infra/database/stores/job-store.js";
import { systemClock } from "../src/services/shared/clock.js";
import { jobKind, type JobRecord } from "../src/services/jobs/job.js";
import { JobQueue } from "../src/services/jobs/job-queue.js";
import type { FinalState, Lease } from "../src/services/jobs/job-store.js";
import { JobRunner } from "../src/workers/job-runner.js";
import { round } from "./support.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const LATENCY_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const SLOTS = 4;
const noop = jobKind<{ t: number }>({ name: "noop", maxAttempts: 3, backoffMs: [1000], leaseMs: 30_000 });

/** The real store, telling the bench when the n-th job has been recorded as done. */
class CountingStore extends TypeormJobStore {
  finished = 0;
  target = Infinity;
  onTarget: () => void = () => undefined;

  override async finish(lease: Lease, state: FinalState, reason: string | null, now: number): Promise<boolean> {
    const ok = await super.finish(lease, state, reason, now);
    if (++this.finished === this.target) this.onTarget();
    return ok;
  }
}

const dir = mkdtempSync(join(tmpdir(), "vidlib-bench-jobs-"));
const { dataSource } = await openDatabase({ path: join(dir, "vidlib.sqlite") });
try {
  const store = new CountingStore(dataSource);
  const queue = new JobQueue(store, systemClock);
  const raw = rawDatabase(dataSource);

  // Bare: the same table and index, jobs of another kind, the simplest claim a queue can make (in the same
  // order, through the same partial index) and a plain finish, as prepared statements on the raw connection.
  const insert = raw.prepare(`INSERT INTO job (kind, payload, state, run_at, max_attempts, created_at, updated_at) VALUES (?, '{"t":0}', 'queued', 0, 3, 0, 0)`);
  const queueUp = (kind: string) => raw.transaction(() => { for (let i = 0; i < JOBS; i++) insert.run(kind); })();
  const claim = raw.prepare(`UPDATE job SET state = 'running', owner = ?, attempts = attempts + 1
    WHERE id = (SELECT id FROM job WHERE kind = 'bare' AND state IN ('queued', 'running') AND state = 'queued' ORDER BY priority, run_at, id LIMIT 1)
    RETURNING id, payload`);
  const finish = raw.prepare(`UPDATE job SET state = 'done' WHERE id = ?`);
  const bareRound = (): number => {
    queueUp("bare");
    const start = performance.now();
    for (;;) {
      const row = claim.get("bench") as { id: number; payload: string } | undefined;
      if (row === undefined) break;
      JSON.parse(row.payload);
      finish.run(row.id);
    }
    return (performance.now() - start) / 1000;
  };

  // Engine: the same number of no-op jobs, queued while the runner is idle, then one wake-up.
  const runs = new Map<number, number>();
  let latencies: number[] | null = null;
  const runner = new JobRunner({ store, queue, clock: systemClock, logger: pino({ level: "warn" }), owner: "bench", pollMs: 250 });
  runner.register(noop, ({ job, payload }: { job: JobRecord; payload: { t: number } }) => {
    runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
    if (latencies !== null) latencies.push(performance.now() - payload.t);
    return Promise.resolve();
  }, SLOTS);
  runner.start();
  const engineRound = async (): Promise<number> => {
    queueUp("noop");
    const allDone = new Promise<void>((resolve) => { store.target = store.finished + JOBS; store.onTarget = resolve; });
    const start = performance.now();
    runner.wake();
    await allDone;
    return (performance.now() - start) / 1000;
  };
  // Rounds alternate, and the ratio is the median of the rounds' ratios: the machine's load changes
  // from second to second, and each ratio compares two runs made moments apart.
  // One round first, not counted, so that both loops run compiled code.
  bareRound();
  await engineRound();
  const rounds: { bare: number; engine: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push({ bare: bareRound(), engine: await engineRound() });
  const ratios = rounds.map((r) => r.bare / r.engine).sort((a, b) => a - b);
  const claimRatio = ratios[Math.floor(ratios.length / 2)]!;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const bareRate = JOBS / median(rounds.map((r) => r.bare));
  const engineRate = JOBS / median(rounds.map((r) => r.engine));

  // Idle latency: one job at a time into an idle runner, from before enqueue to the handler's start.
  latencies = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const done = new Promise<void>((resolve) => { store.target = store.finished + 1; store.onTarget = resolve; });
    await queue.enqueue(noop, { t: performance.now() });
    await done;
  }
  await runner.stop();
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  const duplicates = [...runs.values()].filter((n) => n > 1).length;
  const [left] = await dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE state <> 'done'`);

  process.stdout.write(`${ROUNDS} rounds of ${JOBS} no-op jobs: engine ${Math.round(engineRate)}/s (${SLOTS} slots), bare UPDATE … RETURNING loop ${Math.round(bareRate)}/s; `
    + `ratio per round ${ratios.map((x) => round(x, 2)).join(", ")}, median ${round(claimRatio, 2)}\n`);
  process.stdout.write(`enqueue to start when idle (${LATENCY_SAMPLES} jobs): p50 ${round(p(0.5), 2)} ms, p99 ${round(p(0.99), 2)} ms, max ${round(p(1), 2)} ms\n`);
  process.stdout.write(`jobs run more than once: ${duplicates}; jobs not done: ${left?.n ?? -1}\n`);
  process.stdout.write(`${JSON.stringify({ bench: "jobs", claim_ratio: round(claimRatio, 3), idle_p99_ms: round(p(0.99), 2), duplicates,
    jobs: JOBS, rounds: ROUNDS, engine_per_s: Math.round(engineRate), bare_per_s: Math.round(bareRate), idle_p50_ms: round(p(0.5), 2), slots: SLOTS })}\n`);
} finally {
  await dataSource.destroy();
  rmSync(dir, { recursive: true, force: true });
}
