import "reflect-metadata";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DataSource } from "typeorm";
import { ENTITIES } from "../entities/index.js";
import { MIGRATIONS } from "../../migrations/index.js";
import { MigrationNamingStrategy } from "./migration-naming.js";

export interface DatabaseOptions {
  /** A file path, or ":memory:" for throwaway databases. */
  readonly path: string;
  readonly busyTimeoutMs?: number;
}

/** A TypeORM DataSource on better-sqlite3 in WAL mode, foreign keys on; the schema comes only from migrations. */
export function createDataSource(options: DatabaseOptions): DataSource {
  if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
  return new DataSource({
    type: "better-sqlite3",
    database: options.path,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: "migrations",
    namingStrategy: new MigrationNamingStrategy(),
    synchronize: false,
    enableWAL: true,
    timeout: options.busyTimeoutMs ?? 5000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma("foreign_keys = ON");
      // NORMAL is durable across process crashes in WAL mode; only a power cut may lose the last commit.
      db.pragma("synchronous = NORMAL");
    },
  });
}

/** Opens the database and applies any pending migrations; returns the names applied. */
export async function openDatabase(options: DatabaseOptions): Promise<{ dataSource: DataSource; applied: string[] }> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: "each" });
  return { dataSource, applied: applied.map((m) => m.name) };
}
