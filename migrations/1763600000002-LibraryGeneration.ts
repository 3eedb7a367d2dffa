import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A counter that changes whenever any row of `video` is inserted, updated or deleted, by any writer
 * or connection: the scanner keeps the index in memory between scans and rereads it only when the
 * counter moved.
 */
export class LibraryGeneration1763600000002 implements MigrationInterface {
  name = "LibraryGeneration1763600000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE "library_generation" ("id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1), "n" integer NOT NULL)`,
      `INSERT INTO "library_generation" ("id", "n") VALUES (1, 0)`,
      `CREATE TRIGGER "video_generation_insert" AFTER INSERT ON "video" BEGIN UPDATE "library_generation" SET "n" = "n" + 1 WHERE "id" = 1; END`,
      `CREATE TRIGGER "video_generation_update" AFTER UPDATE ON "video" BEGIN UPDATE "library_generation" SET "n" = "n" + 1 WHERE "id" = 1; END`,
      `CREATE TRIGGER "video_generation_delete" AFTER DELETE ON "video" BEGIN UPDATE "library_generation" SET "n" = "n" + 1 WHERE "id" = 1; END`,
    ]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP TRIGGER "video_generation_delete"`,
      `DROP TRIGGER "video_generation_update"`,
      `DROP TRIGGER "video_generation_insert"`,
      `DROP TABLE "library_generation"`,
    ]) await queryRunner.query(sql);
  }
}
