import type { DataSource } from "typeorm";

/** The parts of better-sqlite3 that the hot paths use directly: prepared statements and synchronous transactions. */
export interface RawStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  raw(on: boolean): RawStatement;
  pluck(on?: boolean): RawStatement;
}

export interface RawDatabase {
  prepare(sql: string): RawStatement;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
}

/**
 * The better-sqlite3 connection behind TypeORM (the same one, so transactions and locks are shared). Only
 * SQLite-dialect adapters may use it: the FTS5 search index (sqlite-fts-search-index.ts), whose virtual
 * table no entity can describe. Every other store goes through repositories or the query builder. ESLint forbids importing this module (or
 * better-sqlite3) outside src/infra.
 */
export function rawDatabase(dataSource: DataSource): RawDatabase {
  return (dataSource.driver as unknown as { databaseConnection: RawDatabase }).databaseConnection;
}
