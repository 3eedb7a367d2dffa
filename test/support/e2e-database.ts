import { emptyPostgresDatabase, postgresForTests, type DatabaseKind } from "./postgres.js";

/**
 * The database the end-to-end suites run the app on: SQLite in the data folder, or with
 * VIDLIB_TEST_DATABASE=postgres (the e2e-postgres test project) a fresh PostgreSQL database per app.
 */
export const e2eDatabase: DatabaseKind = process.env.VIDLIB_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

/** Why an end-to-end test does not run on this database, for the few that are SQLite's alone; null when it runs. */
export const sqliteOnly = (reason: string): string | null => (e2eDatabase === "postgres" ? `SQLite only: ${reason}` : null);

/** The environment that points an app at its database ({} on SQLite), and what removes that database afterwards. */
export async function appDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (e2eDatabase === "sqlite") return { env: {}, drop: () => Promise.resolve() };
  const server = postgresForTests();
  if ("unavailable" in server) throw new Error(`VIDLIB_TEST_DATABASE=postgres, but there is no PostgreSQL server for the tests: ${server.unavailable}`);
  const database = await emptyPostgresDatabase(server.url);
  return { env: { DATABASE_URL: database.url }, drop: database.drop };
}
