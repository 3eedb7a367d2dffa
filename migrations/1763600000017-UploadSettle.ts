import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An upload that may have been sent is first settled by vidlib looking at the channel: `uncertain_at` is
 * when it became uncertain (absence is only believed after a quiet time), `settle_at` when vidlib looks
 * next (null: a person decides).
 */
export class UploadSettle1763600000017 implements MigrationInterface {
  name = "UploadSettle1763600000017";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "upload_job" ADD COLUMN "uncertain_at" integer`);
    await queryRunner.query(`ALTER TABLE "upload_job" ADD COLUMN "settle_at" integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "upload_job" DROP COLUMN "settle_at"`);
    await queryRunner.query(`ALTER TABLE "upload_job" DROP COLUMN "uncertain_at"`);
  }
}
