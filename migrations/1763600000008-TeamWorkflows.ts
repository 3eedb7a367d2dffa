import type { MigrationInterface, QueryRunner } from "typeorm";

const COLUMNS = `"id", "video_id", "state", "seq", "force", "origin", "actor_kind", "actor_id", "attempts", "not_before", "replaces_publication_id",
  "channel_id", "chat_id", "send_video_id", "caption", "message_id", "file_id", "reason", "created_at", "started_at", "finished_at", "updated_at"`;

function uploadJobTable(name: string, states: readonly string[], review: boolean): string {
  return `CREATE TABLE "${name}" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "video_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
    "state" text NOT NULL CHECK ("state" IN (${states.map((s) => `'${s}'`).join(", ")})),
    "seq" real NOT NULL, "force" integer NOT NULL DEFAULT 0, "origin" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL,
    "attempts" integer NOT NULL DEFAULT 0, "not_before" integer NOT NULL DEFAULT 0, "replaces_publication_id" integer,
    "channel_id" integer, "chat_id" integer, "send_video_id" integer, "caption" text, "message_id" integer, "file_id" text, "reason" text,
    "created_at" integer NOT NULL, "started_at" integer, "finished_at" integer, "updated_at" integer NOT NULL${review ? `,
    "review_chat_id" integer, "review_message_id" integer, "review_file_id" text, "decided_by" text, "decided_at" integer` : ""})`;
}

function uploadJobIndexes(active: readonly string[]): string[] {
  const mark = `INSERT OR IGNORE INTO "card_dirty" ("video_id") SELECT DISTINCT "video_id" FROM "video_card" WHERE "video_id" = NEW.video_id;`;
  return [
    `CREATE UNIQUE INDEX "IDX_upload_job_active" ON "upload_job" ("video_id") WHERE "state" IN (${active.map((s) => `'${s}'`).join(", ")})`,
    `CREATE INDEX "IDX_upload_job_state" ON "upload_job" ("state", "seq")`,
    `CREATE INDEX "IDX_upload_job_video" ON "upload_job" ("video_id", "id")`,
    `CREATE INDEX "IDX_upload_job_finished" ON "upload_job" ("finished_at")`,
    `CREATE TRIGGER "card_upload_insert" AFTER INSERT ON "upload_job" BEGIN ${mark} END`,
    `CREATE TRIGGER "card_upload_update" AFTER UPDATE ON "upload_job" BEGIN ${mark} END`,
  ];
}

const OLD_STATES = ["queued", "converting", "uploading", "sent", "failed", "uncertain", "cancelled", "skipped"];
const OLD_ACTIVE = ["queued", "converting", "uploading", "uncertain"];

/**
 * Team workflows. Review first: a category flag; upload items gain the states `review` (a draft waits
 * in the review chat) and `rejected`, the draft message, and who decided (SQLite cannot change a CHECK,
 * so the table is rebuilt with its rows); a post records the draft it was copied from. Analytics: the
 * searches people make and what they chose.
 */
export class TeamWorkflows1763600000008 implements MigrationInterface {
  name = "TeamWorkflows1763600000008";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `ALTER TABLE "category" ADD COLUMN "review_first" boolean NOT NULL DEFAULT (0)`,
      uploadJobTable("upload_job_next", [...OLD_STATES, "review", "rejected"], true),
      `INSERT INTO "upload_job_next" (${COLUMNS}) SELECT ${COLUMNS} FROM "upload_job"`,
      `DROP TABLE "upload_job"`,
      `ALTER TABLE "upload_job_next" RENAME TO "upload_job"`,
      ...uploadJobIndexes([...OLD_ACTIVE, "review"]),
      `ALTER TABLE "publication" ADD COLUMN "review_chat_id" integer`,
      `ALTER TABLE "publication" ADD COLUMN "review_message_id" integer`,
      `CREATE TABLE "search_log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" integer NOT NULL, "user_id" integer NOT NULL,
        "source" text NOT NULL CHECK ("source" IN ('chat', 'inline')), "query" text NOT NULL, "words" text NOT NULL, "results" integer NOT NULL,
        "chosen_video_id" integer, "chosen_at" integer)`,
      `CREATE INDEX "IDX_search_log_at" ON "search_log" ("at")`,
      `CREATE INDEX "IDX_search_log_user" ON "search_log" ("user_id", "source", "at")`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP TABLE "search_log"`,
      `ALTER TABLE "publication" DROP COLUMN "review_message_id"`,
      `ALTER TABLE "publication" DROP COLUMN "review_chat_id"`,
      // Drafts waiting for review are cancelled and rejections count as failures in the older schema.
      `UPDATE "upload_job" SET "state" = CASE "state" WHEN 'review' THEN 'cancelled' ELSE 'failed' END WHERE "state" IN ('review', 'rejected')`,
      uploadJobTable("upload_job_prev", OLD_STATES, false),
      `INSERT INTO "upload_job_prev" (${COLUMNS}) SELECT ${COLUMNS} FROM "upload_job"`,
      `DROP TABLE "upload_job"`,
      `ALTER TABLE "upload_job_prev" RENAME TO "upload_job"`,
      ...uploadJobIndexes(OLD_ACTIVE),
      `ALTER TABLE "category" DROP COLUMN "review_first"`,
    ]) await queryRunner.query(sql);
  }
}
