import { randomBytes } from "node:crypto";
import { afterAll, describe, inject, test } from "vitest";
import pg from "pg";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/infra/database/database.js";
import { makeTestDatabase } from "./database.js";

/** A migrated database and a function that closes (and, for SQLite, removes) it. */
export interface TestDatabase {
  readonly dataSource: DataSource;
  readonly close: () => Promise<void>;
}

export type DatabaseKind = "sqlite" | "postgres";
export type OpenDatabase = () => Promise<TestDatabase>;

function withParams(url: string, database: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

async function admin<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/**
 * This test file's own PostgreSQL database (created at the first open, dropped after the file), and in it a
 * fresh schema per open, so each test starts from an empty, freshly migrated database as on SQLite.
 */
function postgresOpener(serverUrl: string): { open: OpenDatabase; drop: () => Promise<void> } {
  const database = `vidlib_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  let created: Promise<void> | null = null;
  let schemas = 0;
  const open = async (): Promise<TestDatabase> => {
    created ??= admin(serverUrl, async (c) => { await c.query(`CREATE DATABASE "${database}"`); });
    await created;
    const schema = `t${++schemas}`;
    await admin(withParams(serverUrl, database, {}), async (c) => { await c.query(`CREATE SCHEMA "${schema}"`); });
    const { dataSource } = await openDatabase({ driver: "postgres", url: withParams(serverUrl, database, { options: `-c search_path=${schema}` }) });
    return { dataSource, close: async () => { if (dataSource.isInitialized) await dataSource.destroy(); } };
  };
  const drop = async (): Promise<void> => {
    if (created === null) return;
    await created.catch(() => undefined);
    await admin(serverUrl, async (c) => { await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`); });
  };
  return { open, drop };
}

/** An empty database of its own on the test server (for tests that open it themselves), and a function that drops it. */
export async function emptyPostgresDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = `vidlib_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(serverUrl, async (c) => { await c.query(`CREATE DATABASE "${database}"`); });
  return {
    url: withParams(serverUrl, database, {}),
    drop: () => admin(serverUrl, async (c) => { await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`); }),
  };
}

/** The PostgreSQL server for this run, or why there is none (see global-setup.ts). */
export function postgresForTests(): { url: string } | { unavailable: string } {
  const url = inject("pgUrl");
  return url !== "" ? { url } : { unavailable: inject("pgUnavailable") || "no PostgreSQL server" };
}

/**
 * Runs a suite on SQLite and on PostgreSQL: `suite(open, kind)` is called inside one describe per database,
 * and `open()` gives a fresh migrated database each time. Without a PostgreSQL server the PostgreSQL half is
 * skipped and its title says why; with VIDLIB_REQUIRE_PG=1 it fails instead.
 */
export function eachDatabase(name: string, suite: (open: OpenDatabase, kind: DatabaseKind) => void): void {
  describe(`${name} [SQLite]`, () => suite(makeTestDatabase, "sqlite"));
  const server = postgresForTests();
  if ("url" in server) {
    describe(`${name} [PostgreSQL]`, () => {
      const opener = postgresOpener(server.url);
      afterAll(opener.drop);
      suite(opener.open, "postgres");
    });
  } else if (process.env.VIDLIB_REQUIRE_PG === "1") {
    describe(`${name} [PostgreSQL]`, () => {
      test("has a PostgreSQL server (VIDLIB_REQUIRE_PG=1)", () => { throw new Error(`no PostgreSQL server for the tests: ${server.unavailable}`); });
    });
  } else {
    describe.skip(`${name} [PostgreSQL] — skipped: ${server.unavailable}`, () => suite(() => Promise.reject(new Error("skipped")), "postgres"));
  }
}

/**
 * A suite that only makes sense on PostgreSQL (advisory locks, LISTEN/NOTIFY): `suite(serverUrl)` runs when
 * there is a server; otherwise it is skipped and says why, or fails with VIDLIB_REQUIRE_PG=1.
 */
export function onPostgres(name: string, suite: (serverUrl: string) => void): void {
  const server = postgresForTests();
  if ("url" in server) {
    describe(`${name} [PostgreSQL]`, () => suite(server.url));
  } else if (process.env.VIDLIB_REQUIRE_PG === "1") {
    describe(`${name} [PostgreSQL]`, () => {
      test("has a PostgreSQL server (VIDLIB_REQUIRE_PG=1)", () => { throw new Error(`no PostgreSQL server for the tests: ${server.unavailable}`); });
    });
  } else {
    describe.skip(`${name} [PostgreSQL] — skipped: ${server.unavailable}`, () => suite(""));
  }
}
