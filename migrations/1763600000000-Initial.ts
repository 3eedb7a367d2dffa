import type { MigrationInterface, QueryRunner } from "typeorm";

/** The first schema: library, tags, categories, channels, users, audit trail, bot state. */
export class Initial1763600000000 implements MigrationInterface {
  name = "Initial1763600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE "audit_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" integer NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL, "action" text NOT NULL, "target_type" text, "target_id" text, "before" text, "after" text)`,
      `CREATE INDEX "IDX_06d570d7d1b40fbc994b5955be" ON "audit_event" ("at")`,
      `CREATE INDEX "IDX_f44b7e9c0d50176bc07e018f63" ON "audit_event" ("actor_id")`,
      `CREATE INDEX "IDX_45452915f68f5a171bc4107b9e" ON "audit_event" ("action")`,
      `CREATE TABLE "category" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, "key" text NOT NULL, "audience" text NOT NULL, "created_at" integer NOT NULL)`,
      `CREATE UNIQUE INDEX "IDX_7c82c39b0dc8ef1ba334eb615a" ON "category" ("key")`,
      `CREATE TABLE "channel" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "chat_id" integer NOT NULL, "title" text NOT NULL, "username" text, "audience" text NOT NULL, "created_at" integer NOT NULL)`,
      `CREATE UNIQUE INDEX "IDX_f5bece9472d562356f264490b7" ON "channel" ("chat_id")`,
      `CREATE TABLE "conversation_state" ("key" text PRIMARY KEY NOT NULL, "value" text NOT NULL, "updated_at" integer NOT NULL)`,
      `CREATE TABLE "setting" ("key" text PRIMARY KEY NOT NULL, "value" text NOT NULL, "updated_at" integer NOT NULL)`,
      `CREATE TABLE "tag" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, "key" text NOT NULL, "created_at" integer NOT NULL)`,
      `CREATE UNIQUE INDEX "IDX_28cb5c00311cc4d6db1b51603d" ON "tag" ("key")`,
      `CREATE TABLE "user" ("telegram_id" integer PRIMARY KEY NOT NULL, "username" text, "first_name" text NOT NULL DEFAULT (''), "role" text, "first_seen_at" integer NOT NULL, "last_seen_at" integer NOT NULL, "refused_at" integer)`,
      `CREATE INDEX "IDX_78a916df40e02a9deb1c4b75ed" ON "user" ("username")`,
      `CREATE TABLE "video" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "path" text NOT NULL, "root" text NOT NULL, "relative_path" text NOT NULL, "file_name" text NOT NULL, "extension" text NOT NULL, "size_bytes" integer NOT NULL, "mtime_ms" real NOT NULL, "fingerprint" text, "status" text NOT NULL DEFAULT ('indexed'), "status_reason" text, "duration_s" real, "width" integer, "height" integer, "video_codec" text, "audio_codec" text, "pixel_format" text, "bit_rate" integer, "frame_rate" real, "container" text, "probed_at" integer, "created_at" integer NOT NULL, "updated_at" integer NOT NULL, "category_id" integer, CONSTRAINT "FK_2a5c61f32e9636ee10821e9a58d" FOREIGN KEY ("category_id") REFERENCES "category" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
      `CREATE UNIQUE INDEX "IDX_4b67bf1cbb4229947766ad5b66" ON "video" ("path")`,
      `CREATE INDEX "IDX_e6edc3c9f693025fccf171cbc2" ON "video" ("fingerprint")`,
      `CREATE TABLE "video_tag" ("video_id" integer NOT NULL, "tag_id" integer NOT NULL, CONSTRAINT "FK_adc2291a949c076ad10579cca37" FOREIGN KEY ("video_id") REFERENCES "video" ("id") ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "FK_8a3ae3a8fee0382ac5874da0a22" FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("video_id", "tag_id"))`,
      `CREATE INDEX "IDX_adc2291a949c076ad10579cca3" ON "video_tag" ("video_id")`,
      `CREATE INDEX "IDX_8a3ae3a8fee0382ac5874da0a2" ON "video_tag" ("tag_id")`,
      // The audit trail is append-only: the database itself refuses to change or remove a record.
      `CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE ON "audit_event" BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`,
      `CREATE TRIGGER "audit_event_no_delete" BEFORE DELETE ON "audit_event" BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`,
    ]) {
      await queryRunner.query(sql);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP TRIGGER "audit_event_no_delete"`,
      `DROP TRIGGER "audit_event_no_update"`,
      `DROP INDEX "IDX_8a3ae3a8fee0382ac5874da0a2"`,
      `DROP INDEX "IDX_adc2291a949c076ad10579cca3"`,
      `DROP TABLE "video_tag"`,
      `DROP INDEX "IDX_e6edc3c9f693025fccf171cbc2"`,
      `DROP INDEX "IDX_4b67bf1cbb4229947766ad5b66"`,
      `DROP TABLE "video"`,
      `DROP INDEX "IDX_78a916df40e02a9deb1c4b75ed"`,
      `DROP TABLE "user"`,
      `DROP INDEX "IDX_28cb5c00311cc4d6db1b51603d"`,
      `DROP TABLE "tag"`,
      `DROP TABLE "setting"`,
      `DROP TABLE "conversation_state"`,
      `DROP INDEX "IDX_f5bece9472d562356f264490b7"`,
      `DROP TABLE "channel"`,
      `DROP INDEX "IDX_7c82c39b0dc8ef1ba334eb615a"`,
      `DROP TABLE "category"`,
      `DROP INDEX "IDX_45452915f68f5a171bc4107b9e"`,
      `DROP INDEX "IDX_f44b7e9c0d50176bc07e018f63"`,
      `DROP INDEX "IDX_06d570d7d1b40fbc994b5955be"`,
      `DROP TABLE "audit_event"`,
    ]) {
      await queryRunner.query(sql);
    }
  }
}
