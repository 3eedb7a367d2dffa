import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A file a sync moved to the trash can be restored from /trash: `restored_at` marks a removal that was
 * put back, so it is no longer listed as in the trash.
 */
export class SyncTrashRestore1763600000016 implements MigrationInterface {
  name = "SyncTrashRestore1763600000016";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_item" ADD COLUMN "restored_at" integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_item" DROP COLUMN "restored_at"`);
  }
}
