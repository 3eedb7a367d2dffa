import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The search index: an FTS5 table of normalised words per video (normalising needs JavaScript, so
 * vidlib fills it), and a list of videos whose words may have changed, kept by triggers so that no
 * writer can forget to mark one.
 */
export class SearchIndex1763600000003 implements MigrationInterface {
  name = "SearchIndex1763600000003";

  async up(queryRunner: QueryRunner): Promise<void> {
    const dirty = (select: string): string => `INSERT OR IGNORE INTO "search_dirty" ("video_id") ${select};`;
    for (const sql of [
      `CREATE VIRTUAL TABLE "video_search" USING fts5("name", "folder", "tags", "category", "sort_key" UNINDEXED, tokenize = 'unicode61', prefix = '2 3 4')`,
      `CREATE TABLE "search_dirty" ("video_id" integer PRIMARY KEY NOT NULL)`,
      `CREATE TRIGGER "search_video_insert" AFTER INSERT ON "video" BEGIN ${dirty("VALUES (NEW.id)")} END`,
      `CREATE TRIGGER "search_video_update" AFTER UPDATE OF "path", "file_name", "relative_path", "category_id", "status" ON "video" BEGIN ${dirty("VALUES (NEW.id)")} END`,
      `CREATE TRIGGER "search_video_delete" AFTER DELETE ON "video" BEGIN ${dirty("VALUES (OLD.id)")} END`,
      `CREATE TRIGGER "search_tag_link" AFTER INSERT ON "video_tag" BEGIN ${dirty("VALUES (NEW.video_id)")} END`,
      `CREATE TRIGGER "search_tag_unlink" AFTER DELETE ON "video_tag" BEGIN ${dirty("VALUES (OLD.video_id)")} END`,
      `CREATE TRIGGER "search_tag_rename" AFTER UPDATE OF "name" ON "tag" BEGIN ${dirty(`SELECT "video_id" FROM "video_tag" WHERE "tag_id" = NEW.id`)} END`,
      `CREATE TRIGGER "search_category_rename" AFTER UPDATE OF "name" ON "category" BEGIN ${dirty(`SELECT "id" FROM "video" WHERE "category_id" = NEW.id`)} END`,
      `INSERT INTO "search_dirty" ("video_id") SELECT "id" FROM "video"`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ["search_category_rename", "search_tag_rename", "search_tag_unlink", "search_tag_link", "search_video_delete", "search_video_update", "search_video_insert"]) {
      await queryRunner.query(`DROP TRIGGER "${name}"`);
    }
    await queryRunner.query(`DROP TABLE "search_dirty"`);
    await queryRunner.query(`DROP TABLE "video_search"`);
  }
}
