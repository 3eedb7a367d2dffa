import type { MigrationInterface, QueryRunner } from "typeorm";

/** One lease per folder that a scan or a sync works on, so two processes never work on one folder at once. */
export class FolderLocks1763600000031 implements MigrationInterface {
  name = "FolderLocks1763600000031";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "folder_lock" ("name" text PRIMARY KEY NOT NULL, "owner" text NOT NULL, "lease_until" integer NOT NULL, "renewed_at" integer NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "folder_lock"`);
  }
}
