import type { MigrationInterface, QueryRunner } from "typeorm";

const MISMATCH = "audience mismatch: a category can only be mapped to a channel of the same audience";

/** A trigger function refusing a row whose audience differs from a mapped row's (`joinAndWhere` ends at that row's audience column). */
function audienceCheck(name: string, joinAndWhere: string): string {
  return `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM "category_channel" m ${joinAndWhere} IS DISTINCT FROM NEW."audience") THEN
        RAISE EXCEPTION '${MISMATCH}' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$`;
}

/** Tables in the order they are created (foreign keys point backwards); dropped in reverse. */
const TABLES: readonly string[] = [
  `CREATE TABLE "audit_event" ("id" bigserial PRIMARY KEY, "at" bigint NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL, "action" text NOT NULL,
    "target_type" text, "target_id" text, "before" text, "after" text)`,
  `CREATE TABLE "category" ("id" bigserial PRIMARY KEY, "name" text NOT NULL, "key" text NOT NULL, "audience" text NOT NULL, "created_at" bigint NOT NULL,
    "review_first" boolean NOT NULL DEFAULT false)`,
  `CREATE TABLE "channel" ("id" bigserial PRIMARY KEY, "chat_id" bigint NOT NULL, "title" text NOT NULL, "username" text, "audience" text NOT NULL, "created_at" bigint NOT NULL)`,
  `CREATE TABLE "category_channel" ("category_id" bigint PRIMARY KEY REFERENCES "category" ("id") ON DELETE CASCADE,
    "channel_id" bigint NOT NULL REFERENCES "channel" ("id") ON DELETE RESTRICT, "actor_id" text NOT NULL, "updated_at" bigint NOT NULL)`,
  `CREATE TABLE "conversation_state" ("key" text PRIMARY KEY, "value" text NOT NULL, "updated_at" bigint NOT NULL)`,
  `CREATE TABLE "setting" ("key" text PRIMARY KEY, "value" text NOT NULL, "updated_at" bigint NOT NULL)`,
  `CREATE TABLE "tag" ("id" bigserial PRIMARY KEY, "name" text NOT NULL, "key" text NOT NULL, "created_at" bigint NOT NULL)`,
  `CREATE TABLE "user" ("telegram_id" bigint PRIMARY KEY, "username" text, "first_name" text NOT NULL DEFAULT '', "role" text,
    "first_seen_at" bigint NOT NULL, "last_seen_at" bigint NOT NULL, "refused_at" bigint)`,
  `CREATE TABLE "video" ("id" bigserial PRIMARY KEY, "path" text NOT NULL, "root" text NOT NULL, "relative_path" text NOT NULL, "file_name" text NOT NULL,
    "extension" text NOT NULL, "size_bytes" bigint NOT NULL, "mtime_ms" double precision NOT NULL, "fingerprint" text, "status" text NOT NULL DEFAULT 'indexed',
    "status_reason" text, "duration_s" double precision, "width" bigint, "height" bigint, "video_codec" text, "audio_codec" text, "pixel_format" text,
    "bit_rate" bigint, "frame_rate" double precision, "container" text, "probed_at" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL,
    "category_id" bigint, "telegram_file_id" text, "derived_from_id" bigint, "media_kind" text NOT NULL DEFAULT 'video',
    CONSTRAINT "FK_2a5c61f32e9636ee10821e9a58d" FOREIGN KEY ("category_id") REFERENCES "category" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  `CREATE TABLE "video_tag" ("video_id" bigint NOT NULL, "tag_id" bigint NOT NULL,
    CONSTRAINT "FK_adc2291a949c076ad10579cca37" FOREIGN KEY ("video_id") REFERENCES "video" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "FK_8a3ae3a8fee0382ac5874da0a22" FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY ("video_id", "tag_id"))`,
  `CREATE TABLE "update_journal" ("update_id" bigint PRIMARY KEY, "payload" text NOT NULL, "received_at" bigint NOT NULL, "done_at" bigint)`,
  `CREATE TABLE "library_generation" ("id" bigint PRIMARY KEY CHECK ("id" = 1), "n" bigint NOT NULL)`,
  `CREATE TABLE "search_dirty" ("video_id" bigint PRIMARY KEY)`,
  `CREATE TABLE "search_position" ("video_id" bigint PRIMARY KEY, "position" bigint NOT NULL UNIQUE, "sort_key" text NOT NULL)`,
  `CREATE TABLE "search_term" ("term" text PRIMARY KEY)`,
  `CREATE TABLE "search_session" ("id" bigserial PRIMARY KEY, "chat_id" bigint NOT NULL, "query" text NOT NULL, "created_at" bigint NOT NULL)`,
  `CREATE TABLE "search_log" ("id" bigserial PRIMARY KEY, "at" bigint NOT NULL, "user_id" bigint NOT NULL,
    "source" text NOT NULL CHECK ("source" IN ('chat', 'inline')), "query" text NOT NULL, "words" text NOT NULL, "results" bigint NOT NULL,
    "chosen_video_id" bigint, "chosen_at" bigint)`,
  `CREATE TABLE "chat_prompt" ("chat_id" bigint PRIMARY KEY, "kind" text NOT NULL, "payload" text NOT NULL, "created_at" bigint NOT NULL)`,
  `CREATE TABLE "bulk_action" ("id" bigserial PRIMARY KEY, "actor_id" text NOT NULL, "kind" text NOT NULL, "summary" text NOT NULL, "undo" text NOT NULL,
    "created_at" bigint NOT NULL, "undone_at" bigint)`,
  `CREATE TABLE "video_card" ("chat_id" bigint NOT NULL, "message_id" bigint NOT NULL, "video_id" bigint NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
    "created_at" bigint NOT NULL, PRIMARY KEY ("chat_id", "message_id"))`,
  `CREATE TABLE "card_dirty" ("video_id" bigint PRIMARY KEY)`,
  `CREATE TABLE "content_hash" ("video_id" bigint PRIMARY KEY REFERENCES "video" ("id") ON DELETE CASCADE,
    "size_bytes" bigint NOT NULL, "mtime_ms" double precision NOT NULL, "sha256" text NOT NULL, "hashed_at" bigint NOT NULL)`,
  `CREATE TABLE "dupe_pair" ("id" bigserial PRIMARY KEY, "kind" text NOT NULL,
    "original_id" bigint NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE, "copy_id" bigint NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
    "original_size" bigint NOT NULL, "original_mtime" double precision NOT NULL, "copy_size" bigint NOT NULL, "copy_mtime" double precision NOT NULL,
    "verified" bigint NOT NULL, "created_at" bigint NOT NULL, "resolution" text, "resolved_at" bigint)`,
  `CREATE TABLE "dupe_keep" ("low_id" bigint NOT NULL, "high_id" bigint NOT NULL, "actor_id" text NOT NULL, "created_at" bigint NOT NULL, PRIMARY KEY ("low_id", "high_id"))`,
  `CREATE TABLE "file_move" ("id" bigserial PRIMARY KEY, "video_id" bigint NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
    "kind" text NOT NULL CHECK ("kind" IN ('trash', 'archive')), "from_path" text NOT NULL, "to_path" text NOT NULL, "size_bytes" bigint NOT NULL,
    "mtime_ms" double precision NOT NULL, "actor_id" text NOT NULL, "moved_at" bigint NOT NULL, "expires_at" bigint, "undone_at" bigint, "purged_at" bigint)`,
  `CREATE TABLE "conversion_job" ("id" bigserial PRIMARY KEY, "video_id" bigint NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
    "state" text NOT NULL CHECK ("state" IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    "origin" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL, "attempts" bigint NOT NULL DEFAULT 0, "not_before" bigint NOT NULL DEFAULT 0,
    "mode" text, "temp_path" text, "output_path" text, "output_video_id" bigint, "progress" double precision, "speed" double precision, "eta_s" double precision,
    "reason" text, "error_tail" text, "created_at" bigint NOT NULL, "started_at" bigint, "finished_at" bigint, "updated_at" bigint NOT NULL, "job_id" bigint)`,
  `CREATE TABLE "hls_export" ("id" bigserial PRIMARY KEY, "video_id" bigint NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
    "state" text NOT NULL CHECK ("state" IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    "origin" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL, "rungs" text, "output_dir" text, "progress" double precision, "error" text,
    "created_at" bigint NOT NULL, "started_at" bigint, "finished_at" bigint, "updated_at" bigint NOT NULL, "job_id" bigint)`,
  `CREATE TABLE "upload_job" ("id" bigserial PRIMARY KEY, "video_id" bigint NOT NULL REFERENCES "video" ("id") ON DELETE CASCADE,
    "state" text NOT NULL CHECK ("state" IN ('queued', 'converting', 'uploading', 'sent', 'failed', 'uncertain', 'cancelled', 'skipped', 'review', 'rejected')),
    "seq" double precision NOT NULL, "force" bigint NOT NULL DEFAULT 0, "origin" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text NOT NULL,
    "replaces_publication_id" bigint, "channel_id" bigint, "chat_id" bigint, "send_video_id" bigint, "caption" text, "message_id" bigint, "file_id" text,
    "reason" text, "created_at" bigint NOT NULL, "started_at" bigint, "finished_at" bigint, "updated_at" bigint NOT NULL,
    "review_chat_id" bigint, "review_message_id" bigint, "review_file_id" text, "decided_by" text, "decided_at" bigint, "uncertain_at" bigint,
    "settle_at" bigint, "job_id" bigint)`,
  `CREATE TABLE "publication" ("id" bigserial PRIMARY KEY, "video_id" bigint NOT NULL, "sent_video_id" bigint NOT NULL, "channel_id" bigint NOT NULL,
    "chat_id" bigint NOT NULL, "channel_title" text NOT NULL, "channel_username" text, "message_id" bigint, "file_id" text, "caption" text NOT NULL,
    "job_id" bigint, "actor_id" text NOT NULL, "sent_at" bigint NOT NULL, "caption_updated_at" bigint, "deleted_at" bigint,
    "review_chat_id" bigint, "review_message_id" bigint)`,
  `CREATE TABLE "sync_folder" ("id" bigserial PRIMARY KEY, "source_path" text NOT NULL, "target_path" text NOT NULL, "actor_id" text NOT NULL,
    "created_at" bigint NOT NULL, "last_run_id" bigint)`,
  `CREATE TABLE "sync_run" ("id" bigserial PRIMARY KEY, "folder_id" bigint NOT NULL REFERENCES "sync_folder" ("id") ON DELETE CASCADE,
    "state" text NOT NULL CHECK ("state" IN ('planning', 'preview', 'copying', 'done', 'failed', 'cancelled')),
    "removals" text NOT NULL DEFAULT 'none' CHECK ("removals" IN ('none', 'apply')),
    "actor_kind" text NOT NULL, "actor_id" text NOT NULL, "chat_id" bigint, "message_id" bigint, "owner" text, "heartbeat_at" bigint,
    "files_total" bigint NOT NULL DEFAULT 0, "bytes_total" bigint NOT NULL DEFAULT 0, "files_done" bigint NOT NULL DEFAULT 0, "bytes_done" bigint NOT NULL DEFAULT 0,
    "copied" bigint NOT NULL DEFAULT 0, "removed" bigint NOT NULL DEFAULT 0, "failed" bigint NOT NULL DEFAULT 0,
    "error" text, "created_at" bigint NOT NULL, "finished_at" bigint, "trash_purged_at" bigint)`,
  `CREATE TABLE "sync_item" ("id" bigserial PRIMARY KEY, "run_id" bigint NOT NULL REFERENCES "sync_run" ("id") ON DELETE CASCADE,
    "action" text NOT NULL CHECK ("action" IN ('copy', 'remove')), "rel_path" text NOT NULL, "size_bytes" bigint NOT NULL, "mtime_ms" double precision NOT NULL,
    "state" text NOT NULL DEFAULT 'pending' CHECK ("state" IN ('pending', 'done', 'failed', 'skipped')), "error" text, "restored_at" bigint)`,
  `CREATE TABLE "job" ("id" bigserial PRIMARY KEY, "kind" text NOT NULL, "payload" text NOT NULL, "state" text NOT NULL DEFAULT 'queued', "key" text,
    "group_key" text, "priority" bigint NOT NULL DEFAULT 0, "run_at" bigint NOT NULL, "attempts" bigint NOT NULL DEFAULT 0, "max_attempts" bigint NOT NULL,
    "owner" text, "lease_until" bigint, "cancel_requested" boolean NOT NULL DEFAULT false, "progress" double precision, "reason" text,
    "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "finished_at" bigint)`,
  `CREATE TABLE "job_schedule" ("name" text PRIMARY KEY, "last_slot" bigint NOT NULL)`,
];

const INDEXES: readonly string[] = [
  `CREATE INDEX "IDX_06d570d7d1b40fbc994b5955be" ON "audit_event" ("at")`,
  `CREATE INDEX "IDX_f44b7e9c0d50176bc07e018f63" ON "audit_event" ("actor_id")`,
  `CREATE INDEX "IDX_45452915f68f5a171bc4107b9e" ON "audit_event" ("action")`,
  `CREATE INDEX "IDX_audit_event_target" ON "audit_event" ("target_type", "target_id", "id")`,
  `CREATE UNIQUE INDEX "IDX_7c82c39b0dc8ef1ba334eb615a" ON "category" ("key")`,
  `CREATE UNIQUE INDEX "IDX_f5bece9472d562356f264490b7" ON "channel" ("chat_id")`,
  `CREATE INDEX "IDX_category_channel_channel" ON "category_channel" ("channel_id")`,
  `CREATE UNIQUE INDEX "IDX_28cb5c00311cc4d6db1b51603d" ON "tag" ("key")`,
  `CREATE INDEX "IDX_78a916df40e02a9deb1c4b75ed" ON "user" ("username")`,
  `CREATE UNIQUE INDEX "IDX_4b67bf1cbb4229947766ad5b66" ON "video" ("path")`,
  `CREATE INDEX "IDX_e6edc3c9f693025fccf171cbc2" ON "video" ("fingerprint")`,
  `CREATE INDEX "IDX_video_derived_from" ON "video" ("derived_from_id")`,
  `CREATE INDEX "IDX_adc2291a949c076ad10579cca3" ON "video_tag" ("video_id")`,
  `CREATE INDEX "IDX_8a3ae3a8fee0382ac5874da0a2" ON "video_tag" ("tag_id")`,
  `CREATE INDEX "IDX_search_position_order" ON "search_position" ("sort_key", "video_id")`,
  `CREATE INDEX "IDX_search_log_at" ON "search_log" ("at")`,
  `CREATE INDEX "IDX_search_log_user" ON "search_log" ("user_id", "source", "at")`,
  `CREATE INDEX "IDX_video_card_video" ON "video_card" ("video_id")`,
  `CREATE INDEX "IDX_file_move_video" ON "file_move" ("video_id", "id")`,
  `CREATE UNIQUE INDEX "IDX_conversion_job_active" ON "conversion_job" ("video_id") WHERE "state" IN ('queued', 'running')`,
  `CREATE INDEX "IDX_conversion_job_state" ON "conversion_job" ("state", "id")`,
  `CREATE INDEX "IDX_conversion_job_video" ON "conversion_job" ("video_id", "id")`,
  `CREATE UNIQUE INDEX "IDX_hls_export_active" ON "hls_export" ("video_id") WHERE "state" IN ('queued', 'running')`,
  `CREATE INDEX "IDX_hls_export_state" ON "hls_export" ("state", "id")`,
  `CREATE UNIQUE INDEX "IDX_upload_job_active" ON "upload_job" ("video_id") WHERE "state" IN ('queued', 'converting', 'uploading', 'uncertain', 'review')`,
  `CREATE INDEX "IDX_upload_job_finished" ON "upload_job" ("finished_at")`,
  `CREATE INDEX "IDX_upload_job_state" ON "upload_job" ("state", "seq")`,
  `CREATE INDEX "IDX_upload_job_video" ON "upload_job" ("video_id", "id")`,
  `CREATE INDEX "IDX_publication_sent_at" ON "publication" ("sent_at")`,
  `CREATE INDEX "IDX_publication_sent_video" ON "publication" ("sent_video_id")`,
  `CREATE INDEX "IDX_publication_video" ON "publication" ("video_id")`,
  `CREATE UNIQUE INDEX "IDX_sync_folder_pair" ON "sync_folder" ("source_path", "target_path")`,
  `CREATE UNIQUE INDEX "IDX_sync_run_active" ON "sync_run" ("folder_id") WHERE "state" IN ('planning', 'copying')`,
  `CREATE INDEX "IDX_sync_run_state" ON "sync_run" ("state", "id")`,
  `CREATE INDEX "IDX_sync_item_run" ON "sync_item" ("run_id", "state", "id")`,
  `CREATE INDEX "IDX_job_due" ON "job" ("kind", "priority", "run_at") WHERE "state" IN ('queued', 'running')`,
  `CREATE INDEX "IDX_job_group" ON "job" ("group_key", "state")`,
  `CREATE UNIQUE INDEX "IDX_job_key" ON "job" ("kind", "key") WHERE "key" IS NOT NULL AND "state" IN ('queued', 'running', 'parked')`,
];

/**
 * Integrity guards only, as on SQLite (see ExplicitFollowUps1763600000025): follow-up work is the services' job.
 * They raise SQLSTATE 23000 (integrity constraint violation), as SQLite's RAISE(ABORT) gives SQLITE_CONSTRAINT_TRIGGER.
 */
const GUARDS: readonly string[] = [
  // Guards integrity: the audit trail is append-only, whoever writes (row by row, and TRUNCATE too, which skips row triggers).
  `CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'integrity_constraint_violation'; END $$`,
  `CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"()`,
  `CREATE TRIGGER "audit_event_no_delete" BEFORE DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"()`,
  `CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"()`,
  // Guards integrity: a category is mapped only to a channel of its own audience.
  `CREATE FUNCTION "category_channel_audience_check"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (SELECT "audience" FROM "category" WHERE "id" = NEW."category_id") IS DISTINCT FROM (SELECT "audience" FROM "channel" WHERE "id" = NEW."channel_id") THEN
        RAISE EXCEPTION '${MISMATCH}' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$`,
  `CREATE TRIGGER "category_channel_audience_insert" BEFORE INSERT ON "category_channel" FOR EACH ROW EXECUTE FUNCTION "category_channel_audience_check"()`,
  `CREATE TRIGGER "category_channel_audience_update" BEFORE UPDATE ON "category_channel" FOR EACH ROW EXECUTE FUNCTION "category_channel_audience_check"()`,
  // Guards integrity: a mapped category keeps the audience of its channel.
  audienceCheck("category_audience_check", `JOIN "channel" c ON c."id" = m."channel_id" WHERE m."category_id" = NEW."id" AND c."audience"`),
  `CREATE TRIGGER "category_audience_guard" BEFORE UPDATE OF "audience" ON "category" FOR EACH ROW EXECUTE FUNCTION "category_audience_check"()`,
  // Guards integrity: a mapped channel keeps the audience of its categories.
  audienceCheck("channel_audience_check", `JOIN "category" g ON g."id" = m."category_id" WHERE m."channel_id" = NEW."id" AND g."audience"`),
  `CREATE TRIGGER "channel_audience_guard" BEFORE UPDATE OF "audience" ON "channel" FOR EACH ROW EXECUTE FUNCTION "channel_audience_check"()`,
];

/**
 * The whole schema on PostgreSQL, equal to what the SQLite chain (migrations/) produces through
 * ExplicitFollowUps1763600000025: the same tables, columns, defaults, checks, foreign keys and indexes
 * (partial unique ones included), with PostgreSQL's types — every integer `bigint` (sizes, millisecond
 * times and Telegram ids need 64 bits; SQLite's integer has them), every real `double precision` — and
 * the integrity-guard triggers as plpgsql functions. The SQLite chain's history (triggers added and
 * dropped again, rebuilt tables) is not replayed: a PostgreSQL database starts here.
 *
 * Not here: SQLite's FTS5 index `video_search` and its shadow tables. The search index tables for
 * PostgreSQL come with the PostgreSQL search adapter, in a migration of their own; the plain tables the
 * search service keeps beside its index (search_dirty, search_position, search_term) are here.
 */
export class PostgresBaseline1763600000025 implements MigrationInterface {
  name = "PostgresBaseline1763600000025";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [...TABLES, ...INDEXES, ...GUARDS]) await queryRunner.query(sql);
    await queryRunner.query(`INSERT INTO "library_generation" ("id", "n") VALUES (1, 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const tables = TABLES.map((sql) => /^CREATE TABLE "([a-z_]+)"/.exec(sql)?.[1]).filter((name) => name !== undefined);
    for (const table of tables.reverse()) await queryRunner.query(`DROP TABLE "${table}"`);
    for (const fn of ["channel_audience_check", "category_audience_check", "category_channel_audience_check", "audit_event_append_only"]) {
      await queryRunner.query(`DROP FUNCTION "${fn}"()`);
    }
  }
}
