import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * PostgreSQL's search index, the counterpart of SQLite's FTS5 table `video_search` (SearchIndex1763600000003,
 * SearchOrder1763600000004): one row per indexed video under its position in natural order, its normalised
 * words per field, and a `simple`-configuration tsvector of them (no stemming, no stop words: the words are
 * already normalised by vidlib) with a GIN index for words and prefixes. Each field has its own weight
 * (name A, folder B, tags C, category D) so that a query can keep to some fields and a phrase to one field,
 * as FTS5's column filters do. Only the PostgreSQL search adapter reads or writes it; like the FTS5 table,
 * it has no entity.
 *
 * Sort keys and indexed words compare as code points (collation "C"), as SQLite's BINARY does: the adapter
 * finds a newcomer's neighbours by sort key and a prefix's words by range, and the database's own collation
 * would order both linguistically. Every video is listed for indexing.
 *
 * No pg_trgm: search matches whole words and word prefixes only (FTS5 finds nothing by substring), and
 * a prefix is a range of the GIN index's sorted lexemes.
 */
export class PostgresSearchIndex1763600000028 implements MigrationInterface {
  name = "PostgresSearchIndex1763600000028";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE "video_search" ("position" bigint PRIMARY KEY, "name" text NOT NULL, "folder" text NOT NULL, "tags" text NOT NULL, "category" text NOT NULL,
        "words" tsvector NOT NULL GENERATED ALWAYS AS (setweight(to_tsvector('simple', "name"), 'A') || setweight(to_tsvector('simple', "folder"), 'B')
          || setweight(to_tsvector('simple', "tags"), 'C') || setweight(to_tsvector('simple', "category"), 'D')) STORED)`,
      `CREATE INDEX "IDX_video_search_words" ON "video_search" USING gin ("words")`,
      `ALTER TABLE "search_position" ALTER COLUMN "sort_key" TYPE text COLLATE "C"`,
      `ALTER TABLE "search_term" ALTER COLUMN "term" TYPE text COLLATE "C"`,
      `INSERT INTO "search_dirty" ("video_id") SELECT "id" FROM "video" ON CONFLICT DO NOTHING`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "search_term" ALTER COLUMN "term" TYPE text COLLATE pg_catalog."default"`);
    await queryRunner.query(`ALTER TABLE "search_position" ALTER COLUMN "sort_key" TYPE text COLLATE pg_catalog."default"`);
    await queryRunner.query(`DROP TABLE "video_search"`);
  }
}
