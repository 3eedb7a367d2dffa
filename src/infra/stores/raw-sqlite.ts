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
 * The better-sqlite3 connection behind TypeORM. Scans and index rebuilds touch 100,000 rows, where
 * TypeORM's per-query overhead dominates; they use this connection, which is the same one TypeORM uses,
 * so transactions and locks are shared.
 */
export function rawDatabase(dataSource: DataSource): RawDatabase {
  return (dataSource.driver as unknown as { databaseConnection: RawDatabase }).databaseConnection;
}
