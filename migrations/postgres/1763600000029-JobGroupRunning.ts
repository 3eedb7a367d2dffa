import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * PostgreSQL only: at most one running job per group, as an index. Claims on PostgreSQL run side by side in
 * separate transactions, and two of them may each see a group with nothing running; with this index the
 * second one fails (the job store then claims the next due job). SQLite's claim takes the write lock before
 * it reads, so SQLite needs no such index.
 */
export class PostgresJobGroupRunning1763600000029 implements MigrationInterface {
  name = "PostgresJobGroupRunning1763600000029";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_job_group_running" ON "job" ("group_key") WHERE "group_key" IS NOT NULL AND "state" = 'running'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_job_group_running"`);
  }
}
