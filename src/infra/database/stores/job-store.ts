import { type DataSource, type QueryRunner, type SelectQueryBuilder } from "typeorm";
import { Job, JobSchedule } from "../../../entities/job.js";
import type { JobRecord, JobState } from "../../../services/jobs/job.js";
import type { FinalState, JobStore, Lease, LeaseStep, NewJob } from "../../../services/jobs/job-store.js";
import { inTransaction } from "./transaction.js";
import { SERVER_NOW_MS } from "../database-clock.js";

interface JobRow {
  id: number; kind: string; payload: string; state: JobState; key: string | null; group_key: string | null; priority: number; run_at: number;
  attempts: number; max_attempts: number; owner: string | null; lease_until: number | null; cancel_requested: number | boolean;
  progress: number | null; reason: string | null; created_at: number; updated_at: number; finished_at: number | null;
}
const toRecord = (r: JobRow): JobRecord => ({
  id: r.id, kind: r.kind, payload: r.payload, state: r.state, key: r.key, group: r.group_key, priority: r.priority, runAt: r.run_at,
  attempts: r.attempts, maxAttempts: r.max_attempts, owner: r.owner, leaseUntil: r.lease_until, cancelRequested: Boolean(r.cancel_requested),
  progress: r.progress, reason: r.reason, createdAt: r.created_at, updatedAt: r.updated_at, finishedAt: r.finished_at,
});

type Params = Record<string, string | number | boolean | null>;
interface Statement { sql: string; names: string[] }
interface Result { records?: unknown[]; affected?: number; raw?: unknown }

/** PostgreSQL's unique_violation: on a claim, another process started a job of the same group first. */
const UNIQUE_VIOLATION = "23505";
/** Claims retried after such a race before this one gives up until the next wake-up or poll. */
const CLAIM_RACES = 5;
const isUniqueViolation = (err: unknown): boolean =>
  (err as { driverError?: { code?: unknown } } | null)?.driverError?.code === UNIQUE_VIOLATION;

/**
 * Jobs through TypeORM's query builder, so the SQL is the same on SQLite and PostgreSQL. Statements are
 * built once with named parameters and bound by position (the driver's placeholders), so each is prepared
 * once; the query builder would inline numbers and make every claim a new statement.
 *
 * On SQLite every statement goes through one query runner (better-sqlite3 has one connection). On
 * PostgreSQL each statement takes a pooled connection of its own, so a process's slots claim and finish in
 * parallel; the claim's subquery locks the row it picks with FOR UPDATE SKIP LOCKED (two processes never
 * wait for or take the same row), and a group's "no other job running" is guarded by a partial unique index
 * (IDX_job_group_running): a claim that loses that race is retried and takes the next due job instead.
 */
export class TypeormJobStore implements JobStore {
  private readonly runner: QueryRunner;
  private readonly postgres: boolean;
  private readonly sql: Record<"claim" | "claimKey" | "failExpired" | "heartbeat" | "progress" | "finish" | "requeue" | "holdLease", Statement>;

  constructor(private readonly dataSource: DataSource) {
    this.runner = dataSource.createQueryRunner();
    this.postgres = dataSource.options.type === "postgres";
    const update = () => dataSource.createQueryBuilder().update(Job);
    const fenced = `"id" = :id AND "owner" = :owner AND "attempts" = :attempt AND "state" = 'running'`;
    // PostgreSQL types a parameter from its context, and a CASE of a parameter and NULL gives it none.
    const int = (param: string) => (this.postgres ? `CAST(${param} AS bigint)` : param);
    // The claim writes as little as it can: it is the hot path (see bench/jobs.ts).
    this.sql = {
      claim: this.compile(`${update().set({ state: () => `'running'`, owner: () => ":owner", attempts: () => `"attempts" + 1`, leaseUntil: () => ":leaseUntil",
        updatedAt: () => ":now" }).where(`"id" = (${this.nextDue().getQuery()})`).getQuery()} RETURNING *`),
      claimKey: this.compile(`${update().set({ state: () => `'running'`, owner: () => ":owner", attempts: () => `"attempts" + 1`, leaseUntil: () => ":leaseUntil",
        updatedAt: () => ":now" }).where(`"id" = (${this.nextDue().andWhere("c.key = :key").getQuery()})`).getQuery()} RETURNING *`),
      failExpired: this.compile(update().set({ state: () => `'failed'`, reason: () => `'its worker stopped answering on the last attempt'`,
        owner: () => "NULL", leaseUntil: () => "NULL", finishedAt: () => ":now", updatedAt: () => ":now" })
        .where(`"kind" = :kind AND "state" IN ('queued', 'running') AND "state" = 'running' AND "lease_until" < :now AND "attempts" >= "max_attempts"`).getQuery()),
      heartbeat: this.compile(`${update().set({ leaseUntil: () => ":leaseUntil", updatedAt: () => ":now" }).where(fenced).getQuery()} RETURNING "cancel_requested"`),
      progress: this.compile(update().set({ progress: () => ":progress", updatedAt: () => ":now" }).where(fenced).getQuery()),
      // A finished job keeps its owner: who ran it last, for the log and for a person looking.
      finish: this.compile(update().set({ state: () => ":state", reason: () => ":reason", finishedAt: () => ":now", updatedAt: () => ":now" })
        .where(fenced).getQuery()),
      // A cancel asked while the job was ending wins over running it again.
      requeue: this.compile(update().set({ state: () => `CASE WHEN "cancel_requested" THEN 'cancelled' ELSE 'queued' END`, runAt: () => ":runAt",
        reason: () => `CASE WHEN "cancel_requested" THEN 'cancelled while running' ELSE :reason END`, attempts: () => `"attempts" - :giveBack`,
        finishedAt: () => `CASE WHEN "cancel_requested" THEN ${int(":now")} ELSE NULL END`, owner: () => "NULL", leaseUntil: () => "NULL", progress: () => "NULL",
        groupKey: () => `CASE WHEN :regroup = 1 THEN :group ELSE "group_key" END`, updatedAt: () => ":now" }).where(fenced).getQuery()),
      // Locks the row (an UPDATE does, on both databases), checks the fence and the lease end, and renews the lease.
      // PostgreSQL compares with the server's clock, which wrote the lease ends; SQLite has only the process clock.
      holdLease: this.compile(this.postgres
        ? `UPDATE "job" SET "lease_until" = "n"."ms" + :leaseMs, "updated_at" = "n"."ms" FROM (SELECT ${SERVER_NOW_MS} AS "ms") "n"
          WHERE "job"."id" = :id AND "job"."owner" = :owner AND "job"."attempts" = :attempt AND "job"."state" = 'running' AND "job"."lease_until" >= "n"."ms"
          RETURNING "job"."cancel_requested"`
        : `UPDATE "job" SET "lease_until" = :now + :leaseMs, "updated_at" = :now WHERE ${fenced} AND "lease_until" >= :now RETURNING "cancel_requested"`),
    };
  }

  /**
   * The one claim query: the next due job of a kind whose group has no other job running, in IDX_job_due's
   * order, so it reads only as far as the first due job (the IN term lets SQLite use that partial index).
   * On SQLite the UPDATE … WHERE id = (SELECT …) takes the write lock before it reads, so two processes
   * never take one row; on PostgreSQL the subquery locks the row it returns and skips rows other claims
   * hold (FOR UPDATE OF c SKIP LOCKED), rechecking a row changed meanwhile before it takes it.
   */
  private nextDue(): SelectQueryBuilder<Job> {
    const select = this.dataSource.createQueryBuilder().select("c.id").from(Job, "c")
      .where(`c.kind = :kind AND c.state IN ('queued', 'running')`)
      .andWhere(`((c.state = 'queued' AND c.run_at <= :now) OR (c.state = 'running' AND c.lease_until < :now AND c.attempts < c.max_attempts))`)
      .andWhere(`(c.group_key IS NULL OR NOT EXISTS (SELECT 1 FROM "job" g WHERE g.group_key = c.group_key AND g.state = 'running' AND g.id <> c.id))`)
      .orderBy("c.priority", "ASC").addOrderBy("c.run_at", "ASC").addOrderBy("c.id", "ASC").limit(1);
    return this.postgres ? select.setLock("pessimistic_write", undefined, ["c"]).setOnLocked("skip_locked") : select;
  }

  async enqueue(job: NewJob, now: number): Promise<{ job: JobRecord; created: boolean }> {
    // A job with the key may finish between the refused insert and the look-up; then insert again.
    for (let tries = 0; tries < 5; tries++) {
      const [sql, params] = this.dataSource.createQueryBuilder().insert().into(Job).orIgnore().values({
        kind: job.kind, payload: job.payload, state: "queued", key: job.key, groupKey: job.group, priority: job.priority, runAt: job.runAt,
        attempts: 0, maxAttempts: job.maxAttempts, cancelRequested: false, createdAt: now, updatedAt: now,
      }).getQueryAndParameters();
      // SQLite reports the new row's id as the insert's last row id; PostgreSQL returns it (ON CONFLICT DO NOTHING RETURNING "id").
      const inserted = await this.query(this.postgres ? `${sql} RETURNING "id"` : sql, params);
      if (inserted.affected === 1) {
        const id = this.postgres ? (inserted.records?.[0] as { id: number }).id : Number(inserted.raw);
        return { job: (await this.get(id))!, created: true };
      }
      const existing = await this.dataSource.getRepository(Job).createQueryBuilder("j").select("j.id", "id")
        .where(`j.kind = :kind AND j.key = :key AND j.state IN ('queued', 'running', 'parked')`, { kind: job.kind, key: job.key }).getRawOne<{ id: number }>();
      const found = existing === undefined ? null : await this.get(existing.id);
      if (found !== null) return { job: found, created: false };
    }
    throw new Error(`could not enqueue ${job.kind} with key ${job.key}: its key stays taken and free by turns`);
  }

  async claim(kind: string, owner: string, now: number, leaseMs: number, key?: string): Promise<JobRecord | null> {
    for (let race = 0; ; race++) {
      try {
        const [row] = await (key === undefined ? this.run("claim", { kind, owner, now, leaseUntil: now + leaseMs })
          : this.run("claimKey", { kind, key, owner, now, leaseUntil: now + leaseMs })) as JobRow[];
        return row === undefined ? null : toRecord(row);
      } catch (err) {
        // PostgreSQL only: another claim started a job of the same group meanwhile. Its row is visible to the
        // next try, which skips the group; after several such races, nothing is claimed this time.
        if (!isUniqueViolation(err)) throw err;
        if (race + 1 >= CLAIM_RACES) return null;
      }
    }
  }

  async runningOwners(now: number): Promise<string[]> {
    const rows = await this.dataSource.createQueryBuilder().select("DISTINCT j.owner", "owner").from(Job, "j")
      .where(`j.state = 'running' AND j.owner IS NOT NULL AND j.lease_until >= :now`, { now }).getRawMany<{ owner: string }>();
    return rows.map((r) => r.owner);
  }

  async endLeasesOf(owner: string, now: number): Promise<number> {
    const result = await this.dataSource.createQueryBuilder().update(Job).set({ leaseUntil: now - 1, updatedAt: now })
      .where(`owner = :owner AND state = 'running' AND lease_until >= :now`, { owner, now }).execute();
    return result.affected ?? 0;
  }

  async failExpired(kind: string, now: number): Promise<number> {
    return this.changes("failExpired", { kind, now });
  }

  async heartbeat(lease: Lease, leaseUntil: number, now: number): Promise<"held" | "cancel" | "lost"> {
    const rows = await this.run("heartbeat", { ...fence(lease), leaseUntil, now }) as { cancel_requested: number }[];
    if (rows.length === 0) return "lost";
    return rows[0]!.cancel_requested ? "cancel" : "held";
  }

  async progress(lease: Lease, fraction: number, now: number): Promise<boolean> {
    return (await this.changes("progress", { ...fence(lease), progress: fraction, now })) === 1;
  }

  async underLease<T>(lease: Lease, leaseMs: number, now: number, step: () => Promise<T>): Promise<LeaseStep<T>> {
    const { sql, names } = this.sql.holdLease;
    const params: Params = { ...fence(lease), leaseMs, now };
    return inTransaction(this.dataSource, async (m) => {
      const held = await m.queryRunner!.query(sql, names.map((n) => bind(params, n)), true) as Result;
      const row = held.records?.[0] as { cancel_requested: number | boolean } | undefined;
      if (row === undefined) return { state: "lost" };
      if (row.cancel_requested) return { state: "cancel" };
      return { state: "held", value: await step() };
    });
  }

  async finish(lease: Lease, state: FinalState, reason: string | null, now: number): Promise<boolean> {
    return (await this.changes("finish", { ...fence(lease), state, reason, now })) === 1;
  }

  async requeue(lease: Lease, runAt: number, countAttempt: boolean, reason: string | null, now: number, regroup?: { readonly group: string | null }): Promise<boolean> {
    return (await this.changes("requeue", { ...fence(lease), runAt, giveBack: countAttempt ? 0 : 1, reason, now,
      regroup: regroup === undefined ? 0 : 1, group: regroup?.group ?? null })) === 1;
  }

  async find(kind: string, key: string): Promise<JobRecord | null> {
    const row = await this.dataSource.createQueryBuilder().select("*").from(Job, "j")
      .where(`j.kind = :kind AND j.key = :key AND j.state IN ('queued', 'running', 'parked')`, { kind, key }).getRawOne<JobRow>();
    return row === undefined ? null : toRecord(row);
  }

  async reprioritise(kind: string, key: string, priority: number, now: number): Promise<boolean> {
    const result = await this.dataSource.createQueryBuilder().update(Job).set({ priority, updatedAt: now })
      .where(`kind = :kind AND key = :key AND state IN ('queued', 'parked')`, { kind, key }).execute();
    return (result.affected ?? 0) > 0;
  }

  async cancel(id: number, now: number): Promise<"cancelled" | "requested" | "finished" | "unknown"> {
    const jobs = this.dataSource.getRepository(Job);
    const waiting = await jobs.createQueryBuilder().update().set({ state: "cancelled", reason: "cancelled before it started", finishedAt: now, updatedAt: now })
      .where(`id = :id AND state IN ('queued', 'parked')`, { id }).execute();
    if (waiting.affected === 1) return "cancelled";
    const running = await jobs.createQueryBuilder().update().set({ cancelRequested: true, updatedAt: now })
      .where(`id = :id AND state = 'running'`, { id }).execute();
    if (running.affected === 1) return "requested";
    return (await this.get(id)) === null ? "unknown" : "finished";
  }

  async retry(id: number, now: number): Promise<boolean> {
    try {
      const result = await this.dataSource.getRepository(Job).createQueryBuilder().update()
        .set({ state: "queued", attempts: 0, runAt: now, reason: null, finishedAt: null, cancelRequested: false, updatedAt: now })
        .where(`id = :id AND state IN ('parked', 'failed')`, { id }).execute();
      return result.affected === 1;
    } catch (err) {
      // Another unfinished job took the key meanwhile; that one stands.
      if (/UNIQUE|duplicate key/i.test(String(err))) return false;
      throw err;
    }
  }

  async get(id: number): Promise<JobRecord | null> {
    const row = await this.dataSource.createQueryBuilder().select("*").from(Job, "j").where("j.id = :id", { id }).getRawOne<JobRow>();
    return row === undefined ? null : toRecord(row);
  }

  async runSooner(id: number, runAt: number, now: number): Promise<boolean> {
    const result = await this.dataSource.createQueryBuilder().update(Job).set({ runAt, updatedAt: now })
      .where(`id = :id AND state = 'queued' AND run_at > :runAt`, { id, runAt }).execute();
    return result.affected === 1;
  }

  async deleteFinished(states: readonly FinalState[], finishedBefore: number, limit: number): Promise<number> {
    if (states.length === 0) return 0;
    const oldest = this.dataSource.createQueryBuilder().select("o.id").from(Job, "o")
      .where("o.state IN (:...states) AND o.finished_at < :finishedBefore")
      .orderBy("o.finished_at", "ASC").limit(limit);
    const result = await this.dataSource.createQueryBuilder().delete().from(Job)
      .where(`"id" IN (${oldest.getQuery()})`, { states: [...states], finishedBefore }).execute();
    return result.affected ?? 0;
  }

  async fireSlot(schedule: string, slot: number, job: NewJob, now: number): Promise<boolean> {
    await this.dataSource.createQueryBuilder().insert().into(JobSchedule).orIgnore().values({ name: schedule, lastSlot: slot }).execute();
    // One UPDATE decides which process fires the slot. No transaction around it and the insert: TypeORM
    // shares one SQLite connection, where concurrent transactions would nest. A crash between the two
    // statements loses that slot rather than firing it twice.
    const moved = await this.dataSource.createQueryBuilder().update(JobSchedule).set({ lastSlot: slot })
      .where(`name = :schedule AND last_slot < :slot`, { schedule, slot }).execute();
    if (moved.affected !== 1) return false;
    await this.enqueue(job, now);
    return true;
  }

  private compile(template: string): Statement {
    const names: string[] = [];
    const sql = template.replace(/:([A-Za-z][A-Za-z0-9_]*)/g, (_all, name: string) => {
      names.push(name);
      return this.dataSource.driver.createParameter(name, names.length - 1);
    });
    return { sql, names };
  }

  private async run(statement: keyof TypeormJobStore["sql"], params: Params): Promise<unknown[]> {
    const { sql, names } = this.sql[statement];
    return (await this.query(sql, names.map((n) => bind(params, n)))).records ?? [];
  }

  private async changes(statement: keyof TypeormJobStore["sql"], params: Params): Promise<number> {
    const { sql, names } = this.sql[statement];
    return (await this.query(sql, names.map((n) => bind(params, n)))).affected ?? 0;
  }

  /** One statement: on SQLite through the store's one query runner, on PostgreSQL on a pooled connection of its own. */
  private async query(sql: string, params: unknown[]): Promise<Result> {
    if (!this.postgres) return await this.runner.query(sql, params, true) as Result;
    const runner = this.dataSource.createQueryRunner();
    try {
      return await runner.query(sql, params, true) as Result;
    } finally {
      await runner.release();
    }
  }
}

const fence = (lease: Lease): Params => ({ id: lease.id, owner: lease.owner, attempt: lease.attempt });

function bind(params: Params, name: string): string | number | boolean | null {
  const value = params[name];
  if (value === undefined) throw new Error(`job store: no value for :${name}`);
  return value;
}
