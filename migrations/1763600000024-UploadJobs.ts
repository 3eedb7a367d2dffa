import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Uploads run on the job engine: each `upload_job` row (the queue and history people see) names the engine job
 * that sends it, and the engine owns attempts and retry times (`attempts`, `not_before` go). Rows of the old
 * queue are carried over: queued and uploading ones get a queued `upload.send` job (an uploading one was
 * interrupted: start-up makes it uncertain and its job parks), uncertain ones a parked job (for Resend) and
 * their planned look at the channel. Auto-publish is enqueued by whoever sets a category, not by a trigger:
 * categories set since the last drain become one `publish.auto` job.
 */
export class UploadJobs1763600000024 implements MigrationInterface {
  name = "UploadJobs1763600000024";

  async up(queryRunner: QueryRunner): Promise<void> {
    const now = Date.now();
    const route = `(SELECT 'channel:' || m."channel_id" FROM "video" v JOIN "category_channel" m ON m."category_id" = v."category_id" WHERE v."id" = u."video_id")`;
    await queryRunner.query(`ALTER TABLE "upload_job" ADD COLUMN "job_id" integer`);
    await queryRunner.query(`INSERT OR IGNORE INTO "job" ("kind", "payload", "state", "key", "group_key", "priority", "run_at", "attempts", "max_attempts", "reason", "created_at", "updated_at")
      SELECT 'upload.send', json_object('uploadId', u."id"), CASE WHEN u."state" = 'uncertain' THEN 'parked' ELSE 'queued' END, 'upload:' || u."id", ${route},
        CAST(u."seq" AS INTEGER), CASE WHEN u."state" = 'queued' AND u."not_before" > 0 THEN u."not_before" ELSE ? END, min(u."attempts", 3), 5,
        CASE WHEN u."state" = 'uncertain' THEN 'may have been sent: waits for a look at the channel or a person' END, u."created_at", ?
      FROM "upload_job" u WHERE u."state" IN ('queued', 'uploading', 'uncertain') ORDER BY u."seq"`, [now, now]);
    await queryRunner.query(`UPDATE "upload_job" SET "job_id" = (SELECT j."id" FROM "job" j WHERE j."kind" = 'upload.send' AND j."key" = 'upload:' || "upload_job"."id"
        AND j."state" IN ('queued', 'parked')) WHERE "state" IN ('queued', 'uploading', 'uncertain')`);
    await queryRunner.query(`INSERT OR IGNORE INTO "job" ("kind", "payload", "state", "key", "group_key", "priority", "run_at", "attempts", "max_attempts", "created_at", "updated_at")
      SELECT 'upload.settle', json_object('uploadId', u."id"), 'queued', 'upload:' || u."id", ${route}, 0, u."settle_at", 0, 3, ?, ?
      FROM "upload_job" u WHERE u."state" = 'uncertain' AND u."settle_at" IS NOT NULL ORDER BY u."seq"`, [now, now]);
    await queryRunner.query(`INSERT INTO "job" ("kind", "payload", "state", "priority", "run_at", "attempts", "max_attempts", "created_at", "updated_at")
      SELECT 'publish.auto', json_object('videoIds', json_group_array("video_id")), 'queued', 0, ?, 0, 3, ?, ? FROM (SELECT "video_id" FROM "publish_auto" ORDER BY "at", "video_id")
      HAVING count(*) > 0`, [now, now, now]);
    await queryRunner.query(`DROP TRIGGER IF EXISTS "publish_auto_category"`);
    await queryRunner.query(`DROP TABLE "publish_auto"`);
    await queryRunner.query(`ALTER TABLE "upload_job" DROP COLUMN "not_before"`);
    await queryRunner.query(`ALTER TABLE "upload_job" DROP COLUMN "attempts"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "upload_job" ADD COLUMN "attempts" integer NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "upload_job" ADD COLUMN "not_before" integer NOT NULL DEFAULT (0)`);
    await queryRunner.query(`UPDATE "upload_job" SET "attempts" = coalesce((SELECT j."attempts" FROM "job" j WHERE j."id" = "upload_job"."job_id"), 0)`);
    await queryRunner.query(`CREATE TABLE "publish_auto" ("video_id" integer PRIMARY KEY NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE, "at" integer NOT NULL)`);
    await queryRunner.query(`CREATE TRIGGER "publish_auto_category" AFTER UPDATE OF "category_id" ON "video"
        WHEN NEW."category_id" IS NOT NULL AND NEW."category_id" IS NOT OLD."category_id"
        BEGIN INSERT OR REPLACE INTO "publish_auto" ("video_id", "at") VALUES (NEW."id", NEW."updated_at"); END`);
    await queryRunner.query(`DELETE FROM "job" WHERE "kind" IN ('upload.send', 'upload.settle', 'publish.auto')`);
    await queryRunner.query(`ALTER TABLE "upload_job" DROP COLUMN "job_id"`);
  }
}
