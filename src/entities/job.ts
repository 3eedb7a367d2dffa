import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

export const JOB_STATES = ["queued", "running", "done", "failed", "parked", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One unit of background work on the job engine (see src/workers/job-runner.ts for the protocol). */
@Entity({ name: "job" })
// The claim walks this in order (lowest priority number, then oldest) and stops at the first due job;
// finished jobs are not in it, so it stays as small as the work still to do.
@Index("IDX_job_due", ["kind", "priority", "runAt"], { where: `"state" IN ('queued', 'running')` })
@Index("IDX_job_group", ["groupKey", "state"])
// What each process finished today (/workers).
@Index("IDX_job_owner_finished", ["owner", "finishedAt"])
// Enqueueing with a key is idempotent while a job with that key is not finished (parked waits for a person).
@Index("IDX_job_key", ["kind", "key"], { unique: true, where: `"key" IS NOT NULL AND "state" IN ('queued', 'running', 'parked')` })
// PostgreSQL only (its migration JobGroupRunning): two claims in separate transactions may both see a group
// idle; this makes the second fail instead of running a second job of the group. SQLite's claim holds the
// write lock while it reads, so there the claim alone keeps a group to one running job.
// ("group_key") WHERE "group_key" IS NOT NULL AND "state" = 'running', unique; declared here only so the schema check leaves it alone.
@Index("IDX_job_group_running", { synchronize: false })
export class Job {
  @PrimaryGeneratedColumn({ type: "integer" })
  id!: number;

  @Column({ type: "text" })
  kind!: string;

  /** JSON. */
  @Column({ type: "text" })
  payload!: string;

  @Column({ type: "text", default: "queued" })
  state!: JobState;

  @Column({ type: "text", nullable: true })
  key!: string | null;

  /** At most one job of a group runs at a time, across all processes. */
  @Column({ type: "text", name: "group_key", nullable: true })
  groupKey!: string | null;

  /** Lower runs first within a kind (as in graphile-worker); default 0. */
  @Column({ type: "integer", default: 0 })
  priority!: number;

  /** Not claimed before this time (ms). */
  @Column({ type: "integer", name: "run_at" })
  runAt!: number;

  /** The attempt now running or last run; a claim adds one, a RetryAfter or a graceful stop gives it back. */
  @Column({ type: "integer", default: 0 })
  attempts!: number;

  @Column({ type: "integer", name: "max_attempts" })
  maxAttempts!: number;

  /** The worker holding the lease, and until when (ms); together with `attempts` they fence its writes. */
  @Column({ type: "text", nullable: true })
  owner!: string | null;

  @Column({ type: "integer", name: "lease_until", nullable: true })
  leaseUntil!: number | null;

  /** Set by any process; the owner's heartbeat reads it and aborts the handler. */
  @Column({ type: "boolean", name: "cancel_requested", default: false })
  cancelRequested!: boolean;

  @Column({ type: "real", nullable: true })
  progress!: number | null;

  /** Why it failed, was parked or waits for a retry. */
  @Column({ type: "text", nullable: true })
  reason!: string | null;

  @Column({ type: "integer", name: "created_at" })
  createdAt!: number;

  @Column({ type: "integer", name: "updated_at" })
  updatedAt!: number;

  @Column({ type: "integer", name: "finished_at", nullable: true })
  finishedAt!: number | null;
}

/** The last slot a schedule fired; moving it forward is what lets exactly one process enqueue that slot. */
@Entity({ name: "job_schedule" })
export class JobSchedule {
  @PrimaryColumn({ type: "text" })
  name!: string;

  @Column({ type: "integer", name: "last_slot" })
  lastSlot!: number;
}
