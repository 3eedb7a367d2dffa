import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Search results in natural order without sorting every match: the index's rowid becomes a position
 * that follows the natural order of names, so SQLite can stop after the first page. `search_position`
 * maps videos to positions and keeps each video's sort key to place newcomers between neighbours.
 * `search_term` lists the indexed words, so a query prefix can become the few exact words it stands for.
 * The index is rebuilt without its sort-key column (the key now lives with the position), and every
 * video is marked for re-indexing.
 */
export class SearchOrder1763600000004 implements MigrationInterface {
  name = "SearchOrder1763600000004";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "search_position" ("video_id" integer PRIMARY KEY NOT NULL, "position" integer NOT NULL UNIQUE, "sort_key" text NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "IDX_search_position_order" ON "search_position" ("sort_key", "video_id")`);
    await queryRunner.query(`CREATE TABLE "search_term" ("term" text PRIMARY KEY NOT NULL) WITHOUT ROWID`);
    await this.recreateIndex(queryRunner, "");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "search_term"`);
    await queryRunner.query(`DROP TABLE "search_position"`);
    await this.recreateIndex(queryRunner, `, "sort_key" UNINDEXED`);
  }

  private async recreateIndex(queryRunner: QueryRunner, extraColumns: string): Promise<void> {
    await queryRunner.query(`DROP TABLE "video_search"`);
    await queryRunner.query(`CREATE VIRTUAL TABLE "video_search" USING fts5("name", "folder", "tags", "category"${extraColumns}, tokenize = 'unicode61', prefix = '2 3 4')`);
    await queryRunner.query(`INSERT OR IGNORE INTO "search_dirty" ("video_id") SELECT "id" FROM "video"`);
  }
}
