import type { MigrationInterface, QueryRunner } from "typeorm";

/** The journal of Telegram updates, so an update being handled when the process dies is replayed. */
export class UpdateJournal1763600000001 implements MigrationInterface {
  name = "UpdateJournal1763600000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "update_journal" ("update_id" integer PRIMARY KEY NOT NULL, "payload" text NOT NULL, "received_at" integer NOT NULL, "done_at" integer)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "update_journal"`);
  }
}
