import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Audio-only recordings. A file with sound and no picture used to be marked unreadable ("no video stream
 * (audio only)"); it is now indexed with its duration and codec as `media_kind = 'audio'`, searchable but
 * never converted, paired as a video duplicate or posted. Rows marked unreadable for that reason get an
 * impossible modification time, so the next scan sees them as changed and probes them again.
 */
export class AudioOnly1763600000010 implements MigrationInterface {
  name = "AudioOnly1763600000010";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "video" ADD COLUMN "media_kind" text NOT NULL DEFAULT ('video')`);
    await queryRunner.query(`UPDATE "video" SET "mtime_ms" = -1 WHERE "status" = 'unreadable' AND "status_reason" = 'no video stream (audio only)'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Going back, audio files become unreadable again, as that version would have marked them.
    await queryRunner.query(`UPDATE "video" SET "status" = 'unreadable', "status_reason" = 'no video stream (audio only)' WHERE "media_kind" = 'audio' AND "status" = 'indexed'`);
    await queryRunner.query(`ALTER TABLE "video" DROP COLUMN "media_kind"`);
  }
}
