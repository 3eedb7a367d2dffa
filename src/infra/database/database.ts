import "reflect-metadata";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DataSource, type DataSourceOptions } from "typeorm";
import { ENTITIES } from "../../entities/index.js";
import { MIGRATIONS } from "../../../migrations/index.js";
import { POSTGRES_MIGRATIONS } from "../../../migrations/postgres/index.js";
import { MigrationNamingStrategy, PostgresNamingStrategy } from "./migration-naming.js";
import { POSTGRES_TYPES, adaptForPostgres } from "./postgres-types.js";

export interface SqliteOptions {
  readonly driver?: "sqlite";
  /** A file path, or ":memory:" for throwaway databases. */
  readonly path: string;
  readonly busyTimeoutMs?: number;
}

export interface PostgresOptions {
  readonly driver: "postgres";
  /** postgres://user:password@host:port/database (or a socket folder as `?host=/run/postgresql`). */
  readonly url: string;
  readonly poolSize?: number;
}

/** SQLite by default; PostgreSQL when the options say so (Config.database fits either). */
export type DatabaseOptions = SqliteOptions | PostgresOptions;

const COMMON = {
  entities: ENTITIES,
  migrationsTableName: "migrations",
  // The schema only ever comes from the hand-written migrations.
  synchronize: false,
} as const;

/** On PostgreSQL the entities' column types are widened once their metadata is built (see adaptForPostgres). */
class PostgresDataSource extends DataSource {
  protected override async buildMetadatas(): Promise<void> {
    await super.buildMetadatas();
    adaptForPostgres(this.entityMetadatas);
  }
}

function sqliteOptions(options: SqliteOptions): DataSourceOptions {
  if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
  return {
    ...COMMON,
    type: "better-sqlite3",
    namingStrategy: new MigrationNamingStrategy(),
    database: options.path,
    migrations: MIGRATIONS,
    enableWAL: true,
    timeout: options.busyTimeoutMs ?? 5000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma("foreign_keys = ON");
      // NORMAL is durable across process crashes in WAL mode; only a power cut may lose the last commit.
      db.pragma("synchronous = NORMAL");
    },
  };
}

function postgresOptions(options: PostgresOptions): DataSourceOptions {
  return {
    ...COMMON,
    type: "postgres",
    namingStrategy: new PostgresNamingStrategy(),
    url: options.url,
    migrations: POSTGRES_MIGRATIONS,
    poolSize: options.poolSize ?? 10,
    applicationName: "vidlib",
    // pg parses the URL itself (sockets, ssl parameters); its values win over TypeORM's reading of it.
    extra: { connectionString: options.url, types: POSTGRES_TYPES },
  };
}

/**
 * A TypeORM DataSource: better-sqlite3 in WAL mode with foreign keys on, or PostgreSQL when the options
 * name a server. The schema comes only from migrations, each driver its own list.
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  return options.driver === "postgres" ? new PostgresDataSource(postgresOptions(options)) : new DataSource(sqliteOptions(options));
}

/** Opens the database and applies any pending migrations; returns the names applied. */
export async function openDatabase(options: DatabaseOptions): Promise<{ dataSource: DataSource; applied: string[] }> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: "each" });
  return { dataSource, applied: applied.map((m) => m.name) };
}
