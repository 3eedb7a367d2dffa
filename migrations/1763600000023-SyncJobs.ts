import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Syncs run on the job engine (kind `sync.run`, keyed and grouped per folder). Runs planning or copying under
 * the old owner/heartbeat claim are carried over as queued engine jobs, due at once: the next claim carries
 * them on (copying from their partial files). The old owner is cleared; `sync_run` stays the history.
 */
export class SyncJobs1763600000023 implements MigrationInterface {
  name = "SyncJobs1763600000023";

  async up(queryRunner: QueryRunner): Promise<void> {
    const now = Date.now();
    await queryRunner.query(`INSERT OR IGNORE INTO "job" ("kind", "payload", "state", "key", "group_key", "priority", "run_at", "attempts", "max_attempts", "reason", "created_at", "updated_at")
      SELECT 'sync.run', json_object('runId', "id", 'folderId', "folder_id", 'mode', CASE WHEN "chat_id" IS NULL THEN 'none' ELSE 'preview' END), 'queued',
        'folder:' || "folder_id", 'folder:' || "folder_id", 0, ?, 0, 5, 'carried over from before the job engine', "created_at", ?
      FROM "sync_run" WHERE "state" IN ('planning', 'copying') ORDER BY "id"`, [now, now]);
    await queryRunner.query(`UPDATE "sync_run" SET "owner" = NULL WHERE "state" IN ('planning', 'copying')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "job" WHERE "kind" = 'sync.run'`);
  }
}
