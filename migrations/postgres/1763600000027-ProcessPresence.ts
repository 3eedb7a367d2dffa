import type { MigrationInterface, QueryRunner } from "typeorm";

/** PostgreSQL's side of ProcessPresence1763600000027 (migrations/): the processes that run jobs, and jobs by owner. */
export class PostgresProcessPresence1763600000027 implements MigrationInterface {
  name = "PostgresProcessPresence1763600000027";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "process_presence" ("id" text PRIMARY KEY, "name" text NOT NULL, "role" text NOT NULL, "kinds" text NOT NULL,
      "host" text NOT NULL, "pid" bigint NOT NULL, "started_at" bigint NOT NULL, "seen_at" bigint NOT NULL, "stopped_at" bigint, "lost_reported_at" bigint)`);
    await queryRunner.query(`CREATE INDEX "IDX_job_owner_finished" ON "job" ("owner", "finished_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_job_owner_finished"`);
    await queryRunner.query(`DROP TABLE "process_presence"`);
  }
}
