import type { MigrationInterface, QueryRunner } from "typeorm";

/** PostgreSQL's side of FolderLocks1763600000031 (migrations/): one lease per folder a scan or a sync works on. */
export class PostgresFolderLocks1763600000031 implements MigrationInterface {
  name = "PostgresFolderLocks1763600000031";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "folder_lock" ("name" text PRIMARY KEY, "owner" text NOT NULL, "lease_until" bigint NOT NULL, "renewed_at" bigint NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "folder_lock"`);
  }
}
