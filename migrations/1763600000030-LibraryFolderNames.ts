import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Named library folders: each video records its folder's name beside its relative path, so a worker can
 * find it through its own mount of that folder. The names come from the configuration, which a migration
 * cannot read: the primary names the rows of each configured folder at its start (and renames them when a
 * folder's name changes); until then the column is empty and the folder is known by its path (`root`).
 */
export class LibraryFolderNames1763600000030 implements MigrationInterface {
  name = "LibraryFolderNames1763600000030";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "video" ADD COLUMN "folder" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "video" DROP COLUMN "folder"`);
  }
}
