import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Converting and cleaning up: persistent conversion jobs (one active job per video; triggers refresh
 * the video's cards as a job moves), the link from a converted MP4 to its source, full-content hashes
 * that confirm exact duplicates, duplicate pairs as they were shown (with the sizes and times a later
 * action checks against), pairs a person chose to keep, and files moved to the trash or the archive
 * (with what undoing the move needs).
 */
export class Convert1763600000006 implements MigrationInterface {
  name = "Convert1763600000006";

  async up(queryRunner: QueryRunner): Promise<void> {
    const mark = (id: string): string => `INSERT OR IGNORE INTO "card_dirty" ("video_id") SELECT DISTINCT "video_id" FROM "video_card" WHERE "video_id" = ${id};`;
    for (const sql of [
      `ALTER TABLE "video" ADD COLUMN "derived_from_id" integer`,
      `CREATE INDEX "IDX_video_derived_from" ON "video" ("derived_from_id")`,
      `CREATE TABLE "conversion_job" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "video_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
        "state" text NOT NULL CHECK ("state" IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        "origin" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0, "not_before" integer NOT NULL DEFAULT 0,
        "mode" text, "temp_path" text, "output_path" text, "output_video_id" integer,
        "progress" real, "speed" real, "eta_s" real, "reason" text, "error_tail" text,
        "created_at" integer NOT NULL, "started_at" integer, "finished_at" integer, "updated_at" integer NOT NULL)`,
      `CREATE UNIQUE INDEX "IDX_conversion_job_active" ON "conversion_job" ("video_id") WHERE "state" IN ('queued', 'running')`,
      `CREATE INDEX "IDX_conversion_job_state" ON "conversion_job" ("state", "id")`,
      `CREATE INDEX "IDX_conversion_job_video" ON "conversion_job" ("video_id", "id")`,
      `CREATE TRIGGER "card_conversion_insert" AFTER INSERT ON "conversion_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_conversion_update" AFTER UPDATE ON "conversion_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TABLE "content_hash" ("video_id" integer PRIMARY KEY NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
        "size_bytes" integer NOT NULL, "mtime_ms" real NOT NULL, "sha256" text NOT NULL, "hashed_at" integer NOT NULL)`,
      `CREATE TABLE "dupe_pair" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" text NOT NULL,
        "original_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
        "copy_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
        "original_size" integer NOT NULL, "original_mtime" real NOT NULL, "copy_size" integer NOT NULL, "copy_mtime" real NOT NULL,
        "verified" integer NOT NULL, "created_at" integer NOT NULL, "resolution" text, "resolved_at" integer)`,
      `CREATE TABLE "dupe_keep" ("low_id" integer NOT NULL, "high_id" integer NOT NULL, "actor_id" text NOT NULL, "created_at" integer NOT NULL,
        PRIMARY KEY ("low_id", "high_id"))`,
      `CREATE TABLE "file_move" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "video_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE, "kind" text NOT NULL CHECK ("kind" IN ('trash', 'archive')),
        "from_path" text NOT NULL, "to_path" text NOT NULL, "size_bytes" integer NOT NULL, "mtime_ms" real NOT NULL,
        "actor_id" text NOT NULL, "moved_at" integer NOT NULL, "expires_at" integer, "undone_at" integer, "purged_at" integer)`,
      `CREATE INDEX "IDX_file_move_video" ON "file_move" ("video_id", "id")`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ["card_conversion_update", "card_conversion_insert"]) await queryRunner.query(`DROP TRIGGER "${name}"`);
    for (const table of ["file_move", "dupe_keep", "dupe_pair", "content_hash", "conversion_job"]) await queryRunner.query(`DROP TABLE "${table}"`);
    await queryRunner.query(`DROP INDEX "IDX_video_derived_from"`);
    await queryRunner.query(`ALTER TABLE "video" DROP COLUMN "derived_from_id"`);
  }
}
