import type { MigrationInterface, QueryRunner } from "typeorm";

/** PostgreSQL's side of LibraryFolderNames1763600000030 (migrations/): each video's library folder by name. */
export class PostgresLibraryFolderNames1763600000030 implements MigrationInterface {
  name = "PostgresLibraryFolderNames1763600000030";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "video" ADD COLUMN "folder" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "video" DROP COLUMN "folder"`);
  }
}
