import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The one job engine: a `job` row per unit of background work, claimed with a lease (owner, attempt,
 * lease end) that fences every write its worker makes; `job_schedule` remembers the last slot each
 * schedule fired, so a slot is enqueued once across processes and restarts.
 */
export class Jobs1763600000018 implements MigrationInterface {
  name = "Jobs1763600000018";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE "job" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" text NOT NULL, "payload" text NOT NULL,
        "state" text NOT NULL DEFAULT ('queued'), "key" text, "group_key" text, "priority" integer NOT NULL DEFAULT (0),
        "run_at" integer NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "max_attempts" integer NOT NULL,
        "owner" text, "lease_until" integer, "cancel_requested" boolean NOT NULL DEFAULT (0), "progress" real, "reason" text,
        "created_at" integer NOT NULL, "updated_at" integer NOT NULL, "finished_at" integer)`,
      `CREATE INDEX "IDX_job_due" ON "job" ("kind", "priority", "run_at") WHERE "state" IN ('queued', 'running')`,
      `CREATE INDEX "IDX_job_group" ON "job" ("group_key", "state")`,
      `CREATE UNIQUE INDEX "IDX_job_key" ON "job" ("kind", "key") WHERE "key" IS NOT NULL AND "state" IN ('queued', 'running', 'parked')`,
      `CREATE TABLE "job_schedule" ("name" text PRIMARY KEY NOT NULL, "last_slot" integer NOT NULL)`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["job_schedule", "job"]) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
