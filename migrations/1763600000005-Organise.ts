import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Organising from the bot: saved searches (their ids travel in buttons), a per-chat prompt for the
 * next typed message, bulk actions with what undoing them needs, and the video cards shown in chats
 * so they can be edited in place. Triggers mark shown cards whose video changed, so that no writer
 * (the scanner, a bulk edit, another admin) can leave a card stale. A video's Telegram file id, once
 * it has been uploaded, lets inline search send the video itself. Audit events get an index by target
 * for a video's History.
 */
export class Organise1763600000005 implements MigrationInterface {
  name = "Organise1763600000005";

  async up(queryRunner: QueryRunner): Promise<void> {
    const mark = (id: string): string => `INSERT OR IGNORE INTO "card_dirty" ("video_id") SELECT DISTINCT "video_id" FROM "video_card" WHERE "video_id" IN (${id});`;
    for (const sql of [
      `ALTER TABLE "video" ADD COLUMN "telegram_file_id" text`,
      `CREATE TABLE "search_session" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "chat_id" integer NOT NULL, "query" text NOT NULL, "created_at" integer NOT NULL)`,
      `CREATE TABLE "chat_prompt" ("chat_id" integer PRIMARY KEY NOT NULL, "kind" text NOT NULL, "payload" text NOT NULL, "created_at" integer NOT NULL)`,
      `CREATE TABLE "bulk_action" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "actor_id" text NOT NULL, "kind" text NOT NULL, "summary" text NOT NULL, "undo" text NOT NULL, "created_at" integer NOT NULL, "undone_at" integer)`,
      `CREATE TABLE "video_card" ("chat_id" integer NOT NULL, "message_id" integer NOT NULL, "video_id" integer NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE, "created_at" integer NOT NULL, PRIMARY KEY ("chat_id", "message_id"))`,
      `CREATE INDEX "IDX_video_card_video" ON "video_card" ("video_id")`,
      `CREATE TABLE "card_dirty" ("video_id" integer PRIMARY KEY NOT NULL)`,
      `CREATE INDEX "IDX_audit_event_target" ON "audit_event" ("target_type", "target_id", "id")`,
      `CREATE TRIGGER "card_video_update" AFTER UPDATE ON "video" BEGIN ${mark("NEW.id")} END`,
      `CREATE TRIGGER "card_tag_link" AFTER INSERT ON "video_tag" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_tag_unlink" AFTER DELETE ON "video_tag" BEGIN ${mark("OLD.video_id")} END`,
      `CREATE TRIGGER "card_tag_rename" AFTER UPDATE OF "name" ON "tag" BEGIN ${mark(`SELECT "video_id" FROM "video_tag" WHERE "tag_id" = NEW.id`)} END`,
      `CREATE TRIGGER "card_category_change" AFTER UPDATE OF "name", "audience" ON "category" BEGIN ${mark(`SELECT "id" FROM "video" WHERE "category_id" = NEW.id`)} END`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ["card_category_change", "card_tag_rename", "card_tag_unlink", "card_tag_link", "card_video_update"]) await queryRunner.query(`DROP TRIGGER "${name}"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_event_target"`);
    for (const table of ["card_dirty", "video_card", "bulk_action", "chat_prompt", "search_session"]) await queryRunner.query(`DROP TABLE "${table}"`);
    await queryRunner.query(`ALTER TABLE "video" DROP COLUMN "telegram_file_id"`);
  }
}
