import pg from "pg";
import type { CustomTypesConfig } from "pg";
import type { EntityMetadata } from "typeorm";
import { CheckMetadata } from "typeorm/metadata/CheckMetadata.js";

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Thrown when PostgreSQL returns an integer that a JavaScript number cannot hold exactly. */
export class UnsafeIntegerError extends Error {
  constructor(readonly text: string) {
    super(`PostgreSQL returned ${text}, beyond the integers a JavaScript number holds exactly (±${Number.MAX_SAFE_INTEGER}); vidlib refuses it rather than round it`);
    this.name = "UnsafeIntegerError";
  }
}

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UnsafeIntegerError(text);
  return n;
}

/** SUM and AVG of bigint columns come back as numeric; vidlib sums sizes and counts, which fit a number. */
function parseNumeric(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) throw new UnsafeIntegerError(text);
  return n;
}

/**
 * Type parsers for vidlib's pool only (pg's global defaults stay untouched): bigint and numeric values
 * come back as numbers, as SQLite returns them, and a value beyond Number.MAX_SAFE_INTEGER is an error
 * instead of a silently rounded size or time.
 */
export const POSTGRES_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary"): ((text: string) => unknown) => {
    if (format !== "binary" && oid === INT8_OID) return parseInt8;
    if (format !== "binary" && oid === NUMERIC_OID) return parseNumeric;
    return pg.types.getTypeParser(oid, format) as (text: string) => unknown;
  }) as CustomTypesConfig["getTypeParser"],
};

/**
 * The CHECK constraints the PostgreSQL baseline creates, under the names PostgreSQL gives them. The entities
 * do not declare checks: TypeORM reads only named checks on SQLite, where the migrations left them unnamed,
 * so declaring them would break SQLite's schema comparison. On PostgreSQL TypeORM reads every check and
 * compares them by name, so they are described here; the PostgreSQL schema test keeps this list and the
 * migrations in step.
 */
const POSTGRES_CHECKS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  conversion_job: { conversion_job_state_check: `"state" IN ('queued', 'running', 'done', 'failed', 'cancelled')` },
  file_move: { file_move_kind_check: `"kind" IN ('trash', 'archive')` },
  hls_export: { hls_export_state_check: `"state" IN ('queued', 'running', 'done', 'failed', 'cancelled')` },
  library_generation: { library_generation_id_check: `"id" = 1` },
  search_log: { search_log_source_check: `"source" IN ('chat', 'inline')` },
  sync_item: { sync_item_action_check: `"action" IN ('copy', 'remove')`, sync_item_state_check: `"state" IN ('pending', 'done', 'failed', 'skipped')` },
  sync_run: { sync_run_state_check: `"state" IN ('planning', 'preview', 'copying', 'done', 'failed', 'cancelled')`, sync_run_removals_check: `"removals" IN ('none', 'apply')` },
  upload_job: { upload_job_state_check: `"state" IN ('queued', 'converting', 'uploading', 'sent', 'failed', 'uncertain', 'cancelled', 'skipped', 'review', 'rejected')` },
};

/**
 * Text columns that compare as code points on PostgreSQL, as SQLite's BINARY collation compares them
 * (PostgresSearchIndex1763600000028): the search index orders and ranges over them.
 */
const POSTGRES_COLLATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  search_position: { sort_key: "C" },
  search_term: { term: "C" },
};

/**
 * The entities speak SQLite: `integer` there is 64-bit and `real` is a double. On PostgreSQL `integer`
 * is 32-bit and `real` single precision, too small for byte sizes, millisecond times and Telegram chat
 * ids; so on PostgreSQL every integer column is `bigint` and every real `double precision`, and the
 * entities keep one definition (SQLite's schema and behaviour are untouched). The CHECK constraints and
 * collations above are added to the metadata.
 */
export function adaptForPostgres(metadatas: readonly EntityMetadata[]): void {
  for (const metadata of metadatas) {
    for (const column of metadata.columns) {
      // Spelt int8/float8 (TypeORM reads them as bigint/double precision): TypeORM turns generated ids of a
      // column typed "bigint" into strings, and ids are numbers everywhere in vidlib.
      if (column.type === "integer") column.type = "int8";
      else if (column.type === "real") column.type = "float8";
      const collation = POSTGRES_COLLATIONS[metadata.tableName]?.[column.databaseName];
      if (collation !== undefined) column.collation = collation;
    }
    for (const [name, expression] of Object.entries(POSTGRES_CHECKS[metadata.tableName] ?? {})) {
      const check = new CheckMetadata({ entityMetadata: metadata, args: { target: metadata.target, name, expression } });
      check.name = name;
      metadata.checks.push(check);
    }
  }
}
