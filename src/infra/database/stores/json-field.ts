import type { DataSource } from "typeorm";

/**
 * A top-level field of a JSON text column, as SQL, in the database's own dialect (the one place that knows
 * it): SQLite's json_extract gives the field's JSON type, PostgreSQL's ->> gives text. `asText` makes both
 * compare as text, so one parameter matches on either.
 */
export function jsonFieldAsText(dataSource: DataSource, column: string, field: string): string {
  if (!/^[a-z_][a-z0-9_.]*$/iu.test(column) || !/^[a-z_][a-z0-9_]*$/iu.test(field)) throw new Error(`not a plain column or field name: ${column}, ${field}`);
  return dataSource.options.type === "postgres" ? `(${column}::jsonb ->> '${field}')` : `CAST(json_extract(${column}, '$.${field}') AS TEXT)`;
}
