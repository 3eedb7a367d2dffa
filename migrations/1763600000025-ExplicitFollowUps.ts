import type { MigrationInterface, QueryRunner } from "typeorm";

/** Triggers that did follow-up work (all 21 of them); the services that write now do it themselves. */
const DROPPED = [
  "video_generation_insert", "video_generation_update", "video_generation_delete",
  "search_video_insert", "search_video_update", "search_video_delete", "search_tag_link", "search_tag_unlink", "search_tag_rename", "search_category_rename",
  "card_video_update", "card_tag_link", "card_tag_unlink", "card_tag_rename", "card_category_change", "card_conversion_insert", "card_conversion_update",
  "card_upload_insert", "card_upload_update", "card_publication_insert", "card_publication_update",
];

const FOLLOW_UP_KINDS = ["search.refresh", "card.refresh"];

/**
 * Follow-up work is explicit. The services that change videos, tags, categories, conversions, uploads and posts put the
 * videos concerned on two out-of-date lists, `search_dirty` and `card_dirty` (the scanner in the transaction
 * of its writes), and enqueue one keyed job per list (`search.refresh`, `card.refresh`) that drains it; the
 * scanner and the duplicate clean-up move `library_generation` in their own transactions. The triggers that
 * did this are dropped. Both lists are kept with what they hold: at start-up the bot enqueues the job of each
 * list that holds videos (VideoFollowUps.resume), so nothing listed before the upgrade is lost.
 *
 * Uploads and posts redraw their cards through CardFollowingUploadStore (src/services/publish); the
 * auto-publish check's trigger went with uploads' move onto the engine (UploadJobs1763600000024).
 *
 * The triggers that remain are integrity guards only: `audit_event_no_update` and `audit_event_no_delete`
 * (the audit trail is append-only, whoever writes); `category_channel_audience_insert`/`_update`,
 * `category_audience_guard` and `channel_audience_guard` (a category is never posted to a channel of another
 * audience, whatever changes either side).
 */
export class ExplicitFollowUps1763600000025 implements MigrationInterface {
  name = "ExplicitFollowUps1763600000025";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const name of DROPPED) await queryRunner.query(`DROP TRIGGER IF EXISTS "${name}"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The lists keep what is waiting; the triggers list everything again from here on.
    await queryRunner.query(`DELETE FROM "job" WHERE "kind" IN (?, ?) AND "state" IN ('queued', 'running', 'parked')`, FOLLOW_UP_KINDS);
    const bump = `UPDATE "library_generation" SET "n" = "n" + 1 WHERE "id" = 1;`;
    const dirty = (select: string): string => `INSERT OR IGNORE INTO "search_dirty" ("video_id") ${select};`;
    const mark = (ids: string): string => `INSERT OR IGNORE INTO "card_dirty" ("video_id") SELECT DISTINCT "video_id" FROM "video_card" WHERE "video_id" IN (${ids});`;
    for (const sql of [
      `CREATE TRIGGER "video_generation_insert" AFTER INSERT ON "video" BEGIN ${bump} END`,
      `CREATE TRIGGER "video_generation_update" AFTER UPDATE ON "video" BEGIN ${bump} END`,
      `CREATE TRIGGER "video_generation_delete" AFTER DELETE ON "video" BEGIN ${bump} END`,
      `CREATE TRIGGER "search_video_insert" AFTER INSERT ON "video" BEGIN ${dirty("VALUES (NEW.id)")} END`,
      `CREATE TRIGGER "search_video_update" AFTER UPDATE OF "path", "file_name", "relative_path", "category_id", "status" ON "video" BEGIN ${dirty("VALUES (NEW.id)")} END`,
      `CREATE TRIGGER "search_video_delete" AFTER DELETE ON "video" BEGIN ${dirty("VALUES (OLD.id)")} END`,
      `CREATE TRIGGER "search_tag_link" AFTER INSERT ON "video_tag" BEGIN ${dirty("VALUES (NEW.video_id)")} END`,
      `CREATE TRIGGER "search_tag_unlink" AFTER DELETE ON "video_tag" BEGIN ${dirty("VALUES (OLD.video_id)")} END`,
      `CREATE TRIGGER "search_tag_rename" AFTER UPDATE OF "name" ON "tag" BEGIN ${dirty(`SELECT "video_id" FROM "video_tag" WHERE "tag_id" = NEW.id`)} END`,
      `CREATE TRIGGER "search_category_rename" AFTER UPDATE OF "name" ON "category" BEGIN ${dirty(`SELECT "id" FROM "video" WHERE "category_id" = NEW.id`)} END`,
      `CREATE TRIGGER "card_video_update" AFTER UPDATE ON "video" BEGIN ${mark("NEW.id")} END`,
      `CREATE TRIGGER "card_tag_link" AFTER INSERT ON "video_tag" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_tag_unlink" AFTER DELETE ON "video_tag" BEGIN ${mark("OLD.video_id")} END`,
      `CREATE TRIGGER "card_tag_rename" AFTER UPDATE OF "name" ON "tag" BEGIN ${mark(`SELECT "video_id" FROM "video_tag" WHERE "tag_id" = NEW.id`)} END`,
      `CREATE TRIGGER "card_category_change" AFTER UPDATE OF "name", "audience" ON "category" BEGIN ${mark(`SELECT "id" FROM "video" WHERE "category_id" = NEW.id`)} END`,
      `CREATE TRIGGER "card_conversion_insert" AFTER INSERT ON "conversion_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_conversion_update" AFTER UPDATE ON "conversion_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_upload_insert" AFTER INSERT ON "upload_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_upload_update" AFTER UPDATE ON "upload_job" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_publication_insert" AFTER INSERT ON "publication" BEGIN ${mark("NEW.video_id")} END`,
      `CREATE TRIGGER "card_publication_update" AFTER UPDATE ON "publication" BEGIN ${mark("NEW.video_id")} END`,
    ]) await queryRunner.query(sql);
  }
}
