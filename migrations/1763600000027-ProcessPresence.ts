import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The processes that run vidlib's jobs (the primary and `vidlib worker`s), for /workers and for telling the
 * admins once when one disappears. What a process runs and finished is read from the job engine's rows
 * by its owner name, which is this table's key.
 */
export class ProcessPresence1763600000027 implements MigrationInterface {
  name = "ProcessPresence1763600000027";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "process_presence" ("id" text PRIMARY KEY NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "kinds" text NOT NULL,
      "host" text NOT NULL, "pid" integer NOT NULL, "started_at" integer NOT NULL, "seen_at" integer NOT NULL, "stopped_at" integer, "lost_reported_at" integer)`);
    // Jobs done per process today are counted by owner.
    await queryRunner.query(`CREATE INDEX "IDX_job_owner_finished" ON "job" ("owner", "finished_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_job_owner_finished"`);
    await queryRunner.query(`DROP TABLE "process_presence"`);
  }
}
