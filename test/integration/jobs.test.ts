import { afterEach, beforeEach, expect, test } from "vitest";
import { pino } from "pino";
import { manualClock } from "../support/database.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";
import { deferred, makeJobEngine, until } from "../support/jobs-harness.js";
import { JobAborted, jobKind, RetryAfter } from "../../src/services/jobs/job.js";
import { pruneFinishedJobs } from "../../src/services/jobs/prune.js";
import { Schedules } from "../../src/workers/schedules.js";
import { JobRunner } from "../../src/workers/job-runner.js";
import type { DataSource } from "typeorm";

const work = jobKind<{ n: number }>({ name: "work", maxAttempts: 3, backoffMs: [5_000, 15_000, 45_000], leaseMs: 60_000 });
const HOUR = 3_600_000;

eachDatabase("job engine", (open, driver) => {
  let db: TestDatabase;
  let ds: DataSource;
  let clock: ReturnType<typeof manualClock>;
  const runners: { stop(): Promise<void> }[] = [];
  const engine = (owner: string, options = {}) => {
    const made = makeJobEngine(ds, clock, owner, options);
    runners.push(made.runner);
    return made;
  };
  beforeEach(async () => { db = await open(); ds = db.dataSource; clock = manualClock(); });
  afterEach(async () => { for (const r of runners.splice(0)) await r.stop(); await db.close(); });

  test("a lease fences every write: after another process reclaims an expired lease, the first owner can neither heartbeat, report progress nor finish", async () => {
    const { store, queue } = engine("A");
    const { job } = await queue.enqueue(work, { n: 1 });
    const first = await store.claim("work", "A", clock.now(), 1000);
    expect(first).toMatchObject({ id: job.id, state: "running", owner: "A", attempts: 1, leaseUntil: clock.now() + 1000 });
    expect(await store.claim("work", "B", clock.now() + 999, 1000)).toBeNull();
    clock.advance(1001);
    const second = await store.claim("work", "B", clock.now(), 1000);
    expect(second).toMatchObject({ id: job.id, owner: "B", attempts: 2 });
    const stale = { id: job.id, owner: "A", attempt: 1 };
    expect(await store.heartbeat(stale, clock.now() + 5000, clock.now())).toBe("lost");
    expect(await store.progress(stale, 0.5, clock.now())).toBe(false);
    expect(await store.finish(stale, "done", null, clock.now())).toBe(false);
    expect(await store.requeue(stale, clock.now(), false, null, clock.now())).toBe(false);
    // Same owner name but the old attempt is refused too: the attempt is part of the fence.
    expect(await store.finish({ id: job.id, owner: "B", attempt: 1 }, "done", null, clock.now())).toBe(false);
    expect(await store.get(job.id)).toMatchObject({ state: "running", owner: "B", attempts: 2, progress: null });
    // B's heartbeat extends its lease: a claim after the first lease end finds nothing to take over.
    const current = { id: job.id, owner: "B", attempt: 2 };
    expect(await store.heartbeat(current, clock.now() + 5000, clock.now())).toBe("held");
    expect(await store.claim("work", "C", clock.now() + 1001, 1000)).toBeNull();
    expect(await store.progress(current, 0.5, clock.now())).toBe(true);
    expect(await store.finish(current, "done", null, clock.now())).toBe(true);
    expect(await store.get(job.id)).toMatchObject({ state: "done", owner: "B", attempts: 2, progress: 0.5 });
  });

  test("a worker whose lease was taken over notices at its next heartbeat: its handler's signal fires and it records nothing", async () => {
    const { store, queue, runner } = engine("A", { pollMs: HOUR, heartbeatMs: 20 });
    const reasons: unknown[] = [];
    const started = deferred();
    const aborted = deferred();
    runner.register(work, ({ signal }) => new Promise((_resolve, reject) => {
      started.resolve();
      signal.addEventListener("abort", () => { reasons.push(signal.reason); aborted.resolve(); reject(new Error("stopped half way")); });
    }), 1);
    runner.start();
    const { job } = await queue.enqueue(work, { n: 1 });
    await started.promise;
    clock.advance(work.leaseMs + 1);
    expect(await store.claim("work", "B", clock.now(), work.leaseMs)).toMatchObject({ id: job.id, owner: "B", attempts: 2 });
    await aborted.promise;
    expect(reasons).toEqual([new JobAborted("lease-lost")]);
    expect((reasons[0] as JobAborted).why).toBe("lease-lost");
    await runner.stop();
    expect(await store.get(job.id)).toMatchObject({ state: "running", owner: "B", attempts: 2, reason: null });
  });

  test("a worker cut off from the database (its heartbeats hang) gives the job up once a whole lease passed without a renewal, and writes nothing", async () => {
    const short = jobKind<null>({ name: "short", maxAttempts: 3, backoffMs: [0], leaseMs: 300 });
    const { store, queue } = engine("A");
    // The same store, except that from the cut on every heartbeat waits for a link that never comes back.
    let cut = false;
    const beats = { sent: 0, afterCut: 0 };
    const unreachable = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== "heartbeat") return Reflect.get(target, prop, receiver) as unknown;
        return (...args: Parameters<typeof store.heartbeat>) => {
          beats.sent++;
          if (!cut) return target.heartbeat(...args);
          beats.afterCut++;
          return new Promise<never>(() => undefined);
        };
      },
    });
    const runner = new JobRunner({ store: unreachable, queue, clock, logger: pino({ level: "silent" }), owner: "A", pollMs: HOUR, heartbeatMs: 20 });
    runners.push(runner);
    const reasons: unknown[] = [];
    const aborted = deferred();
    const renewed = deferred();
    runner.register(short, ({ signal }) => new Promise((_resolve, reject) => {
      signal.addEventListener("abort", () => { reasons.push(signal.reason); aborted.resolve(); reject(new Error("stopped half way")); });
      const watch = setInterval(() => { if (beats.sent >= 3) { clearInterval(watch); renewed.resolve(); } }, 5);
    }), 1);
    runner.start();
    const { job } = await queue.enqueue(short, null);
    // While the link is up, heartbeats renew the lease and the job keeps running past one lease.
    await renewed.promise;
    expect(reasons).toEqual([]);
    cut = true;
    const cutAt = performance.now();
    await aborted.promise;
    expect(performance.now() - cutAt).toBeGreaterThanOrEqual(short.leaseMs - 40);
    expect(reasons).toEqual([new JobAborted("lease-lost")]);
    // One heartbeat hangs; the runner sends no more on top of it.
    expect(beats.afterCut).toBe(1);
    await runner.stop();
    // It recorded nothing: the job is still running under A's lapsed lease, for another process to take over.
    expect(await store.get(job.id)).toMatchObject({ state: "running", owner: "A", attempts: 1, reason: null });
  });

  test("an expired lease on the last attempt is not taken over; the sweep fails it", async () => {
    const { store, queue } = engine("A");
    const { job } = await queue.enqueue(jobKind<null>({ name: "once", maxAttempts: 1, backoffMs: [], leaseMs: 1000 }), null);
    expect(await store.claim("once", "A", clock.now(), 1000)).toMatchObject({ attempts: 1 });
    clock.advance(1001);
    expect(await store.claim("once", "B", clock.now(), 1000)).toBeNull();
    expect(await store.get(job.id)).toMatchObject({ state: "running", owner: "A" });
    expect(await store.failExpired("once", clock.now() - 2)).toBe(0);
    expect(await store.failExpired("once", clock.now())).toBe(1);
    expect(await store.get(job.id)).toMatchObject({ state: "failed", owner: null, attempts: 1, reason: "its worker stopped answering on the last attempt" });
  });

  test("a running runner's poll fails a job whose dead worker held its last attempt, so its group is free again", async () => {
    const once = jobKind<null>({ name: "once", maxAttempts: 1, backoffMs: [], leaseMs: 1000 });
    const { store, queue, runner } = engine("A", { pollMs: 20 });
    const ran = deferred();
    runner.register(once, () => { ran.resolve(); return Promise.resolve(); }, 2);
    const { job: dead } = await queue.enqueue(once, null, { group: "channel:1" });
    const { job: next } = await queue.enqueue(once, null, { group: "channel:1" });
    expect(await store.claim("once", "dead", clock.now(), 1000)).toMatchObject({ id: dead.id });
    runner.start();
    clock.advance(1001);
    await ran.promise;
    await until(async () => (await store.get(next.id))?.state === "done", "the next job of the group done");
    expect(await store.get(dead.id)).toMatchObject({ state: "failed", attempts: 1 });
  });

  test("a cancel asked while a handler ends with RetryAfter cancels the job instead of queueing it again", async () => {
    const { store, queue, runner } = engine("A", { pollMs: HOUR, heartbeatMs: HOUR });
    const started = deferred();
    const gate = deferred();
    runner.register(work, async () => { started.resolve(); await gate.promise; throw new RetryAfter(1000); }, 1);
    runner.start();
    const { job } = await queue.enqueue(work, { n: 1 });
    await started.promise;
    expect(await store.cancel(job.id, clock.now())).toBe("requested");
    gate.resolve();
    await until(async () => (await store.get(job.id))?.state !== "running", "the handler ended");
    expect(await store.get(job.id)).toMatchObject({ state: "cancelled", reason: "cancelled while running", owner: null, attempts: 0 });
  });

  test("RetryAfter delays without using an attempt; errors follow the kind's backoff table, and the last attempt fails the job", async () => {
    const { store, queue, runner } = engine("A", { pollMs: HOUR });
    const script: (() => never)[] = [
      () => { throw new RetryAfter(30_000, "429: retry after 30 s"); },
      () => { throw new Error("first"); },
      () => { throw new RetryAfter(1_000); },
      () => { throw new Error("second"); },
      () => { throw new Error("third"); },
    ];
    let calls = 0;
    const attempts: number[] = [];
    runner.register(work, ({ attempt }) => { attempts.push(attempt); const step = script[calls++]!; return Promise.resolve().then(step); }, 1);
    runner.start();
    const { job } = await queue.enqueue(work, { n: 1 });
    const settle = async (n: number) => until(async () => calls === n && (await store.get(job.id))?.state !== "running", `call ${n} recorded`);
    const dueAfter = async (ms: number) => {
      const row = (await store.get(job.id))!;
      expect(row.state).toBe("queued");
      expect(row.runAt - clock.now()).toBe(ms);
      // Not a millisecond early: a claim just before the due time finds nothing.
      expect(await store.claim("work", "probe", clock.now() + ms - 1, 1000)).toBeNull();
      clock.advance(ms);
      runner.wake();
    };
    await settle(1);
    expect((await store.get(job.id))).toMatchObject({ attempts: 0, reason: "429: retry after 30 s" });
    await dueAfter(30_000);
    await settle(2);
    expect((await store.get(job.id))).toMatchObject({ attempts: 1, reason: "first" });
    await dueAfter(5_000);
    await settle(3);
    expect((await store.get(job.id))!.attempts).toBe(1);
    await dueAfter(1_000);
    await settle(4);
    expect((await store.get(job.id))).toMatchObject({ attempts: 2, reason: "second" });
    await dueAfter(15_000);
    await settle(5);
    expect(await store.get(job.id)).toMatchObject({ state: "failed", attempts: 3, reason: "third" });
    expect(attempts).toEqual([1, 1, 2, 2, 3]);
  });

  test("a lower priority number starts first within a kind, then the oldest", async () => {
    const { queue, runner } = engine("A", { pollMs: HOUR });
    const order: number[] = [];
    runner.register(work, ({ payload }) => { order.push(payload.n); return Promise.resolve(); }, 1);
    for (const [n, priority] of [[1, 0], [2, -5], [3, -1], [4, -5], [5, 0], [6, 3]] as const) await queue.enqueue(work, { n }, { priority });
    runner.start();
    await until(() => order.length === 6, "all six ran");
    expect(order).toEqual([2, 4, 3, 1, 5, 6]);
  });

  test("a key makes enqueueing idempotent while the job is not finished; a finished key can be used again", async () => {
    const { queue, runner } = engine("A", { pollMs: HOUR });
    const first = await queue.enqueue(work, { n: 1 }, { key: "video:7" });
    const again = await queue.enqueue(work, { n: 2 }, { key: "video:7" });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, job: { id: first.job.id, payload: JSON.stringify({ n: 1 }) } });
    const otherKind = await queue.enqueue(jobKind<{ n: number }>({ ...work, name: "other" }), { n: 3 }, { key: "video:7" });
    expect(otherKind.created).toBe(true);
    const gate = deferred();
    const started = deferred();
    runner.register(work, async () => { started.resolve(); await gate.promise; }, 1);
    runner.start();
    await started.promise;
    expect(await queue.enqueue(work, { n: 4 }, { key: "video:7" })).toMatchObject({ created: false, job: { id: first.job.id, state: "running" } });
    gate.resolve();
    await until(async () => (await queue.get(first.job.id))?.state === "done", "the first job done");
    const later = await queue.enqueue(work, { n: 5 }, { key: "video:7" });
    expect(later.created).toBe(true);
    expect(later.job.id).not.toBe(first.job.id);
  });

  test("a parked outcome waits for a person: not retried, not failed, its key still taken, until retry(jobId) runs it again", async () => {
    const { store, queue, runner } = engine("A", { pollMs: HOUR });
    let calls = 0;
    runner.register(work, () => Promise.resolve(++calls === 1 ? { kind: "parked" as const, reason: "uncertain: Telegram did not answer" } : undefined), 2);
    runner.start();
    const { job } = await queue.enqueue(work, { n: 1 }, { key: "post:1" });
    await until(async () => (await queue.get(job.id))?.state === "parked", "parked");
    expect(await queue.get(job.id)).toMatchObject({ reason: "uncertain: Telegram did not answer", attempts: 1 });
    expect((await queue.enqueue(work, { n: 2 }, { key: "post:1" })).job.id).toBe(job.id);
    clock.advance(HOUR);
    expect(await store.claim("work", "probe", clock.now(), 1000)).toBeNull();
    expect(calls).toBe(1);
    expect(await queue.retry(job.id)).toBe(true);
    await until(async () => (await queue.get(job.id))?.state === "done", "done after the retry");
    expect(calls).toBe(2);
    expect(await queue.retry(job.id)).toBe(false);
  });

  test("enqueue in the same process starts the job at once, without waiting for the poll", async () => {
    const { queue, runner } = engine("A", { pollMs: HOUR });
    const ran = deferred<number>();
    runner.register(work, ({ payload }) => { ran.resolve(payload.n); return Promise.resolve(); }, 1);
    runner.start();
    await queue.enqueue(work, { n: 42 });
    expect(await ran.promise).toBe(42);
  });

  test("cancel: a queued job is cancelled at once, a running one's signal fires with a cancel reason and it ends cancelled (in this process without waiting for a heartbeat)", async () => {
    const { queue, runner } = engine("A", { pollMs: HOUR, heartbeatMs: HOUR });
    const reasons: unknown[] = [];
    const started = deferred();
    runner.register(work, ({ signal }) => new Promise((_resolve, reject) => {
      started.resolve();
      signal.addEventListener("abort", () => { reasons.push(signal.reason); reject(signal.reason as Error); });
    }), 1);
    const queued = await queue.enqueue(work, { n: 1 }, { runAt: clock.now() + HOUR });
    expect(await queue.cancel(queued.job.id)).toBe("cancelled");
    expect(await queue.get(queued.job.id)).toMatchObject({ state: "cancelled" });
    runner.start();
    const { job } = await queue.enqueue(work, { n: 2 });
    await started.promise;
    expect(await queue.cancel(job.id)).toBe("requested");
    await until(async () => (await queue.get(job.id))?.state === "cancelled", "cancelled");
    expect(reasons).toEqual([new JobAborted("cancelled")]);
    expect((reasons[0] as JobAborted).why).toBe("cancelled");
    expect(await queue.cancel(job.id)).toBe("finished");
    expect(await queue.cancel(99_999)).toBe("unknown");
  });

  test("a graceful stop aborts handlers and hands their jobs back without counting the attempt", async () => {
    const { queue, runner } = engine("A", { pollMs: HOUR });
    const started = deferred();
    runner.register(work, ({ signal }) => new Promise((_resolve, reject) => {
      started.resolve();
      signal.addEventListener("abort", () => reject(signal.reason as Error));
    }), 1);
    runner.start();
    const { job } = await queue.enqueue(work, { n: 1 });
    await started.promise;
    expect(await queue.get(job.id)).toMatchObject({ state: "running", attempts: 1 });
    await runner.stop();
    expect(await queue.get(job.id)).toMatchObject({ state: "queued", attempts: 0, owner: null, leaseUntil: null });
  });

  test("concurrency is per kind and read at run time: raising it lets more jobs start", async () => {
    const { queue, runner } = engine("A", { pollMs: HOUR });
    let limit = 1;
    const gate = deferred();
    let running = 0;
    runner.register(work, async () => { running++; await gate.promise; }, () => limit);
    runner.start();
    for (let n = 0; n < 4; n++) await queue.enqueue(work, { n });
    await until(() => running === 1, "one running");
    const states = async () => (await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE state = 'running'`))[0]!.n;
    expect(await states()).toBe(1);
    limit = 3;
    runner.wake();
    await until(() => running === 3, "three running");
    expect(await states()).toBe(3);
    gate.resolve();
    await until(async () => (await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE state = 'done'`))[0]!.n === 4, "all done");
  });

  test("a group runs one job at a time, even with free slots", async () => {
    const { queue, runner } = engine("A", { pollMs: HOUR });
    let running = 0;
    let most = 0;
    let done = 0;
    const groupStarted = deferred();
    runner.register(work, async ({ job }) => {
      if (job.group === null) {
        // Holds a slot until the group has started: the other free slots must serve the group meanwhile.
        await groupStarted.promise;
      } else {
        most = Math.max(most, ++running);
        groupStarted.resolve();
        await new Promise((r) => setTimeout(r, 1));
        running--;
      }
      done++;
    }, 4);
    await queue.enqueue(work, { n: 99 });
    for (let n = 0; n < 12; n++) await queue.enqueue(work, { n }, { group: "channel:1" });
    runner.start();
    await until(() => done === 13, "all ran");
    expect(most).toBe(1);
    // A handler ends before the runner records its end; on PostgreSQL that write may take another pooled
    // connection than the count below, so wait for the runner to have recorded every end.
    await until(async () => (await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE state = 'running'`))[0]!.n === 0, "every end recorded");
    const rows = await ds.query<{ n: number }[]>(`SELECT count(*) AS n FROM job WHERE state = 'done'`);
    expect(rows[0]!.n).toBe(13);
  });

  test.runIf(driver === "postgres")("the database itself refuses a second running job of a group, whoever writes it (claims racing in separate transactions)", async () => {
    const { store, queue } = engine("A");
    const { job: first } = await queue.enqueue(work, { n: 1 }, { group: "channel:1" });
    const { job: second } = await queue.enqueue(work, { n: 2 }, { group: "channel:1" });
    expect(await store.claim("work", "A", clock.now(), 1000)).toMatchObject({ id: first.id });
    await expect(ds.query(`UPDATE job SET state = 'running' WHERE id = $1`, [second.id])).rejects.toThrow(/IDX_job_group_running/);
    expect(await store.claim("work", "B", clock.now(), 1000)).toBeNull();
  });

  test("a schedule enqueues each slot once across two processes and a restart, and a new schedule starts with its next slot", async () => {
    const kind = jobKind<{ slot: number }>({ name: "purge", maxAttempts: 1, backoffMs: [], leaseMs: 60_000 });
    const make = () => {
      const { store, queue } = makeJobEngine(ds, clock, "x");
      const schedules = new Schedules(store, queue, clock, pino({ level: "silent" }));
      schedules.add({ name: "purge-trash", pattern: "0 * * * *", timezone: "UTC", kind, payload: (slot) => ({ slot }) });
      return schedules;
    };
    const jobs = async () => ds.query<{ key: string; run_at: number; state: string }[]>(`SELECT key, run_at, state FROM job WHERE kind = 'purge' ORDER BY id`);
    clock.advance(HOUR - (clock.now() % HOUR) + 10 * 60_000); // 10 minutes past an hour
    const [a, b] = [make(), make()];
    await Promise.all([a.tick(), b.tick()]);
    expect(await jobs()).toEqual([]);
    clock.advance(HOUR);
    await Promise.all([a.tick(), b.tick(), a.tick()]);
    const slot = clock.now() - 10 * 60_000;
    expect(await jobs()).toEqual([{ key: `schedule:purge-trash:${slot}`, run_at: slot, state: "queued" }]);
    await ds.query(`UPDATE job SET state = 'done'`);
    const restarted = make();
    await restarted.tick();
    await b.tick();
    expect(await jobs()).toHaveLength(1);
    clock.advance(HOUR);
    await Promise.all([restarted.tick(), b.tick()]);
    expect((await jobs()).map((j) => j.run_at)).toEqual([slot, slot + HOUR]);
    // Down for three hours: the latest missed slot runs once at the next start, not all three.
    clock.advance(3 * HOUR);
    await Promise.all([make().tick(), make().tick()]);
    expect((await jobs()).map((j) => j.run_at)).toEqual([slot, slot + HOUR, slot + 4 * HOUR]);
  });

  test("an interval schedule fires each slot once across two processes and a restart, slots counted from the epoch; a tick inside a fired slot writes nothing", async () => {
    const kind = jobKind<{ slot: number }>({ name: "reconcile", maxAttempts: 1, backoffMs: [], leaseMs: 60_000 });
    const every = 45 * 60_000;
    const make = () => {
      const { store, queue } = makeJobEngine(ds, clock, "x");
      const schedules = new Schedules(store, queue, clock, pino({ level: "silent" }));
      schedules.add({ name: "reconcile", everyMinutes: 45, kind, payload: (slot) => ({ slot }) });
      return schedules;
    };
    const jobs = async () => ds.query<{ run_at: number }[]>(`SELECT run_at FROM job WHERE kind = 'reconcile' ORDER BY id`);
    const slots = async () => ds.query<{ last_slot: number }[]>(`SELECT last_slot FROM job_schedule WHERE name = 'reconcile'`);
    clock.advance(every - (clock.now() % every) + 60_000);
    const first = clock.now() - 60_000;
    const [a, b] = [make(), make()];
    await Promise.all([a.tick(), b.tick()]);
    expect(await jobs()).toEqual([]);
    expect(await slots()).toEqual([{ last_slot: first }]);
    clock.advance(every);
    await Promise.all([a.tick(), b.tick(), a.tick()]);
    expect(await jobs()).toEqual([{ run_at: first + every }]);
    // The same slot again: neither process touches the database (the row is changed behind their backs to prove it).
    await ds.query(`UPDATE job_schedule SET last_slot = 0 WHERE name = 'reconcile'`);
    clock.advance(every - 120_000);
    await Promise.all([a.tick(), b.tick()]);
    expect(await slots()).toEqual([{ last_slot: 0 }]);
    await ds.query(`UPDATE job_schedule SET last_slot = ${first + every} WHERE name = 'reconcile'`);
    // A restart later: the latest missed slot only.
    clock.advance(3 * every);
    await Promise.all([make().tick(), make().tick()]);
    expect((await jobs()).map((j) => j.run_at)).toEqual([first + every, first + 4 * every]);
    expect(() => make().add({ name: "never", everyMinutes: 0, kind, payload: (slot) => ({ slot }) })).toThrow(/at least 1/);
  });

  test("pruning deletes the engine's done and cancelled rows after a week and failed ones after a month; parked, queued and running rows stay", async () => {
    const { store, queue } = engine("A");
    const DAY = 24 * HOUR;
    const ended = async (key: string, state: "done" | "failed" | "parked") => {
      const { job } = await queue.enqueue(work, { n: 0 }, { key });
      const claimed = (await store.claim("work", "A", clock.now(), HOUR, key))!;
      expect(await store.finish({ id: claimed.id, owner: "A", attempt: claimed.attempts }, state, null, clock.now())).toBe(true);
      return job.id;
    };
    const oldDone = await ended("done-40d", "done");
    const oldFailed = await ended("failed-40d", "failed");
    const oldParked = await ended("parked-40d", "parked");
    const { job: oldCancelled } = await queue.enqueue(work, { n: 0 }, { key: "cancelled-40d" });
    expect(await queue.cancel(oldCancelled.id)).toBe("cancelled");
    const { job: oldQueued } = await queue.enqueue(work, { n: 0 }, { key: "queued-40d", runAt: clock.now() + 60 * DAY });
    clock.advance(30 * DAY);
    const weekOldDone = await ended("done-10d", "done");
    const weekOldFailed = await ended("failed-10d", "failed");
    clock.advance(5 * DAY);
    const recentDone = await ended("done-5d", "done");
    const { job: running } = await queue.enqueue(work, { n: 0 }, { key: "running" });
    expect(await store.claim("work", "A", clock.now(), 100 * DAY, "running")).not.toBeNull();
    clock.advance(5 * DAY);
    expect(await pruneFinishedJobs(store, clock)).toBe(4);
    const left = async (id: number) => (await queue.get(id))?.state ?? "deleted";
    expect(await left(oldDone)).toBe("deleted");
    expect(await left(oldCancelled.id)).toBe("deleted");
    expect(await left(oldFailed)).toBe("deleted");
    expect(await left(weekOldDone)).toBe("deleted");
    expect(await left(weekOldFailed)).toBe("failed");
    expect(await left(recentDone)).toBe("done");
    expect(await left(oldParked)).toBe("parked");
    expect(await left(oldQueued.id)).toBe("queued");
    expect(await left(running.id)).toBe("running");
    // Batches: more rows than one statement deletes all go.
    for (let i = 0; i < 2500; i++) await queue.enqueue(work, { n: i }, { key: `bulk-${i}` }).then(({ job }) => queue.cancel(job.id));
    clock.advance(8 * DAY);
    expect(await pruneFinishedJobs(store, clock)).toBe(2501);
    expect(await left(weekOldFailed)).toBe("failed");
  });
});
