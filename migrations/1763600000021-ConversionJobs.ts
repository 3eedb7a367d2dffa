import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Conversions run on the job engine: each `conversion_job` row (the history people see) names the engine job
 * that runs it. Rows queued or running under the old claim are carried over as queued engine jobs with their
 * attempts (a running one was interrupted: its next run removes what it left behind, and counts as an attempt).
 */
export class ConversionJobs1763600000021 implements MigrationInterface {
  name = "ConversionJobs1763600000021";

  async up(queryRunner: QueryRunner): Promise<void> {
    const now = Date.now();
    await queryRunner.query(`ALTER TABLE "conversion_job" ADD COLUMN "job_id" integer`);
    await queryRunner.query(`INSERT OR IGNORE INTO "job" ("kind", "payload", "state", "key", "priority", "run_at", "attempts", "max_attempts", "created_at", "updated_at")
      SELECT 'conversion', json_object('conversionId', "id"), 'queued', 'video:' || "video_id", 0,
        CASE WHEN "state" = 'queued' THEN "not_before" ELSE ? END, min("attempts", 3), 4, "created_at", ?
      FROM "conversion_job" WHERE "state" IN ('queued', 'running') ORDER BY "id"`, [now, now]);
    await queryRunner.query(`UPDATE "conversion_job" SET "job_id" = (SELECT j."id" FROM "job" j WHERE j."kind" = 'conversion'
        AND j."key" = 'video:' || "conversion_job"."video_id" AND j."state" = 'queued')
      WHERE "state" IN ('queued', 'running')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "job" WHERE "kind" IN ('conversion', 'conversion.auto')`);
    await queryRunner.query(`ALTER TABLE "conversion_job" DROP COLUMN "job_id"`);
  }
}
