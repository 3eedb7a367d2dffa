import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Folder sync and HLS export. A sync folder mirrors a source folder into a folder of the library; each
 * sync is a run with its items (copies and removals), so an interrupted run resumes where it stopped
 * and a preview shown to a person is exactly what a confirmation applies. One run per folder is active
 * at a time, and the process that owns it refreshes `heartbeat_at` so another can tell a crash from work.
 * HLS exports are jobs like conversions: one active export per video.
 */
export class SyncAndExport1763600000009 implements MigrationInterface {
  name = "SyncAndExport1763600000009";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE "sync_folder" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "source_path" text NOT NULL, "target_path" text NOT NULL,
        "actor_id" text NOT NULL, "created_at" integer NOT NULL, "last_run_id" integer)`,
      `CREATE UNIQUE INDEX "IDX_sync_folder_pair" ON "sync_folder" ("source_path", "target_path")`,
      `CREATE TABLE "sync_run" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "folder_id" integer NOT NULL REFERENCES "sync_folder" ("id") ON DELETE CASCADE,
        "state" text NOT NULL CHECK ("state" IN ('planning', 'preview', 'copying', 'done', 'failed', 'cancelled')),
        "removals" text NOT NULL DEFAULT 'none' CHECK ("removals" IN ('none', 'apply')),
        "actor_kind" text NOT NULL, "actor_id" text NOT NULL, "chat_id" integer, "message_id" integer,
        "owner" text, "heartbeat_at" integer,
        "files_total" integer NOT NULL DEFAULT 0, "bytes_total" integer NOT NULL DEFAULT 0,
        "files_done" integer NOT NULL DEFAULT 0, "bytes_done" integer NOT NULL DEFAULT 0,
        "copied" integer NOT NULL DEFAULT 0, "removed" integer NOT NULL DEFAULT 0, "failed" integer NOT NULL DEFAULT 0,
        "error" text, "created_at" integer NOT NULL, "finished_at" integer, "trash_purged_at" integer)`,
      `CREATE UNIQUE INDEX "IDX_sync_run_active" ON "sync_run" ("folder_id") WHERE "state" IN ('planning', 'copying')`,
      `CREATE INDEX "IDX_sync_run_state" ON "sync_run" ("state", "id")`,
      `CREATE TABLE "sync_item" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "run_id" integer NOT NULL REFERENCES "sync_run" ("id") ON DELETE CASCADE,
        "action" text NOT NULL CHECK ("action" IN ('copy', 'remove')), "rel_path" text NOT NULL,
        "size_bytes" integer NOT NULL, "mtime_ms" real NOT NULL,
        "state" text NOT NULL DEFAULT 'pending' CHECK ("state" IN ('pending', 'done', 'failed', 'skipped')), "error" text)`,
      `CREATE INDEX "IDX_sync_item_run" ON "sync_item" ("run_id", "state", "id")`,
      `CREATE TABLE "hls_export" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "video_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
        "state" text NOT NULL CHECK ("state" IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        "origin" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL,
        "rungs" text, "output_dir" text, "progress" real, "error" text,
        "created_at" integer NOT NULL, "started_at" integer, "finished_at" integer, "updated_at" integer NOT NULL)`,
      `CREATE UNIQUE INDEX "IDX_hls_export_active" ON "hls_export" ("video_id") WHERE "state" IN ('queued', 'running')`,
      `CREATE INDEX "IDX_hls_export_state" ON "hls_export" ("state", "id")`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["hls_export", "sync_item", "sync_run", "sync_folder"]) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
