import type { MigrationInterface, QueryRunner } from "typeorm";

// As EXPORT_HLS declares them (src/services/export/export-job.ts); a migration does not import the app.
const KIND = "export.hls";
const MAX_ATTEMPTS = 3;

/**
 * HLS exports move onto the job engine: `hls_export` stays the history /exports shows and names the
 * engine job that runs each export (`job_id`). Exports a database left queued or running (the old
 * worker's claim) become queued engine jobs, so none is lost; a running one starts again from the start,
 * as the old start-up did.
 */
export class ExportJobs1763600000020 implements MigrationInterface {
  name = "ExportJobs1763600000020";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hls_export" ADD COLUMN "job_id" integer`);
    const now = Date.now();
    const active = await queryRunner.query(`SELECT "id", "video_id" FROM "hls_export" WHERE "state" IN ('queued', 'running') ORDER BY "id"`) as { id: number; video_id: number }[];
    for (const row of active) {
      await queryRunner.query(`INSERT INTO "job" ("kind", "payload", "state", "key", "priority", "run_at", "attempts", "max_attempts", "cancel_requested", "created_at", "updated_at")
        VALUES (?, ?, 'queued', ?, 0, ?, 0, ?, 0, ?, ?)`, [KIND, JSON.stringify({ exportId: row.id, videoId: row.video_id }), `video:${row.video_id}`, now, MAX_ATTEMPTS, now, now]);
      const [{ id: jobId }] = await queryRunner.query(`SELECT last_insert_rowid() AS "id"`) as [{ id: number }];
      await queryRunner.query(`UPDATE "hls_export" SET "state" = 'queued', "progress" = NULL, "job_id" = ?, "updated_at" = ? WHERE "id" = ?`, [jobId, now, row.id]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Unfinished exports go back to the old worker's queue; its start-up runs them again.
    await queryRunner.query(`UPDATE "hls_export" SET "state" = 'queued', "progress" = NULL WHERE "state" IN ('queued', 'running')`);
    await queryRunner.query(`DELETE FROM "job" WHERE "kind" = ?`, [KIND]);
    await queryRunner.query(`ALTER TABLE "hls_export" DROP COLUMN "job_id"`);
  }
}
