import type { MigrationInterface, QueryRunner } from "typeorm";

const MISMATCH = "audience mismatch: a category can only be mapped to a channel of the same audience";

/**
 * Publishing: which channel each category posts to (the database itself refuses a mapping, or a later
 * audience change, that would join different audiences), the persistent upload queue (one active item
 * per video; FIFO by `seq`), what was posted where, videos whose category was set (drained by
 * auto-publish). Triggers redraw the video's cards
 * as its upload moves and as it is posted.
 */
export class Publish1763600000007 implements MigrationInterface {
  name = "Publish1763600000007";

  async up(queryRunner: QueryRunner): Promise<void> {
    const mark = (id: string): string => `INSERT OR IGNORE INTO "card_dirty" ("video_id") SELECT DISTINCT "video_id" FROM "video_card" WHERE "video_id" = ${id};`;
    const mismatch = `BEGIN SELECT RAISE(ABORT, '${MISMATCH}'); END`;
    for (const sql of [
      `CREATE TABLE "category_channel" ("category_id" integer PRIMARY KEY NOT NULL REFERENCES "category" ("id") ON DELETE CASCADE,
        "channel_id" integer NOT NULL REFERENCES "channel" ("id") ON DELETE RESTRICT, "actor_id" text NOT NULL, "updated_at" integer NOT NULL)`,
      `CREATE INDEX "IDX_category_channel_channel" ON "category_channel" ("channel_id")`,
      `CREATE TRIGGER "category_channel_audience_insert" BEFORE INSERT ON "category_channel"
        WHEN (SELECT "audience" FROM "category" WHERE "id" = NEW."category_id") IS NOT (SELECT "audience" FROM "channel" WHERE "id" = NEW."channel_id") ${mismatch}`,
      `CREATE TRIGGER "category_channel_audience_update" BEFORE UPDATE ON "category_channel"
        WHEN (SELECT "audience" FROM "category" WHERE "id" = NEW."category_id") IS NOT (SELECT "audience" FROM "channel" WHERE "id" = NEW."channel_id") ${mismatch}`,
      `CREATE TRIGGER "category_audience_guard" BEFORE UPDATE OF "audience" ON "category"
        WHEN EXISTS (SELECT 1 FROM "category_channel" m JOIN "channel" c ON c."id" = m."channel_id" WHERE m."category_id" = NEW."id" AND c."audience" IS NOT NEW."audience") ${mismatch}`,
      `CREATE TRIGGER "channel_audience_guard" BEFORE UPDATE OF "audience" ON "channel"
        WHEN EXISTS (SELECT 1 FROM "category_channel" m JOIN "category" g ON g."id" = m."category_id" WHERE m."channel_id" = NEW."id" AND g."audience" IS NOT NEW."audience") ${mismatch}`,
      `CREATE TABLE "upload_job" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "video_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
        "state" text NOT NULL CHECK ("state" IN ('queued', 'converting', 'uploading', 'sent', 'failed', 'uncertain', 'cancelled', 'skipped')),
        "seq" real NOT NULL, "force" integer NOT NULL DEFAULT 0, "origin" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0, "not_before" integer NOT NULL DEFAULT 0, "replaces_publication_id" integer,
        "channel_id" integer, "chat_id" integer, "send_video_id" integer, "caption" text, "message_id" integer, "file_id" text, "reason" text,
        "created_at" integer NOT NULL, "started_at" integer, "finished_at" integer, "updated_at" integer NOT NULL)`,
      `CREATE UNIQUE INDEX "IDX_upload_job_active" ON "upload_job" ("video_id") WHERE "state" IN ('queued', 'converting', 'uploading', 'uncertain')`,
      `CREATE INDEX "IDX_upload_job_state" ON "upload_job" ("state", "seq")`,
      `CREATE INDEX "IDX_upload_job_video" ON "upload_job" ("video_id", "id")`,
      `CREATE INDEX "IDX_upload_job_finished" ON "upload_job" ("finished_at")`,
      `CREATE TRIGGER "card_upload_insert" AFTER INSERT ON "upload_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_upload_update" AFTER UPDATE ON "upload_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TABLE "publication" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "video_id" integer NOT NULL, "sent_video_id" integer NOT NULL,
        "channel_id" integer NOT NULL, "chat_id" integer NOT NULL, "channel_title" text NOT NULL, "channel_username" text,
        "message_id" integer, "file_id" text, "caption" text NOT NULL, "job_id" integer, "actor_id" text NOT NULL,
        "sent_at" integer NOT NULL, "caption_updated_at" integer, "deleted_at" integer)`,
      `CREATE INDEX "IDX_publication_video" ON "publication" ("video_id")`,
      `CREATE INDEX "IDX_publication_sent_video" ON "publication" ("sent_video_id")`,
      `CREATE INDEX "IDX_publication_sent_at" ON "publication" ("sent_at")`,
      `CREATE TRIGGER "card_publication_insert" AFTER INSERT ON "publication" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_publication_update" AFTER UPDATE ON "publication" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TABLE "publish_auto" ("video_id" integer PRIMARY KEY NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE, "at" integer NOT NULL)`,
      `CREATE TRIGGER "publish_auto_category" AFTER UPDATE OF "category_id" ON "video"
        WHEN NEW."category_id" IS NOT NULL AND NEW."category_id" IS NOT OLD."category_id"
        BEGIN INSERT OR REPLACE INTO "publish_auto" ("video_id", "at") VALUES (NEW."id", NEW."updated_at"); END`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ["publish_auto_category", "card_publication_update", "card_publication_insert", "card_upload_update", "card_upload_insert",
      "channel_audience_guard", "category_audience_guard", "category_channel_audience_update", "category_channel_audience_insert"]) await queryRunner.query(`DROP TRIGGER "${name}"`);
    for (const table of ["publish_auto", "publication", "upload_job", "category_channel"]) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
