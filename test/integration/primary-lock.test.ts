import { afterEach, beforeEach, expect, test } from "vitest";
import pg from "pg";
import { openDatabase } from "../../src/infra/database/database.js";
import { AnotherPrimaryError, holdPrimaryLock, type PrimaryLock } from "../../src/infra/database/primary-lock.js";
import { emptyPostgresDatabase, onPostgres } from "../support/postgres.js";
import { until } from "../support/jobs-harness.js";

onPostgres("the one primary", (serverUrl) => {
  let database: Awaited<ReturnType<typeof emptyPostgresDatabase>>;
  const held: PrimaryLock[] = [];
  beforeEach(async () => { database = await emptyPostgresDatabase(serverUrl); });
  afterEach(async () => {
    for (const lock of held.splice(0)) await lock.release();
    await database.drop();
  });

  test("a second primary is refused while the first holds the lock, naming the first from the process registry; after release it starts", async () => {
    const { dataSource } = await openDatabase({ driver: "postgres", url: database.url });
    await dataSource.query(`INSERT INTO "process_presence" ("id", "name", "role", "kinds", "host", "pid", "started_at", "seen_at")
      VALUES ('nas-1:4242:ab', 'primary', 'primary', 'jobs.prune', 'nas-1', 4242, 1, (extract(epoch from clock_timestamp()) * 1000)::bigint)`);
    // A primary that stopped cleanly is not the one named.
    await dataSource.query(`INSERT INTO "process_presence" ("id", "name", "role", "kinds", "host", "pid", "started_at", "seen_at", "stopped_at")
      VALUES ('old:1:cd', 'primary', 'primary', 'jobs.prune', 'old-box', 1, 1, 9e12, 2)`);
    await dataSource.destroy();
    const first = await holdPrimaryLock(database.url);
    held.push(first);
    const refused = await holdPrimaryLock(database.url).then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(AnotherPrimaryError);
    expect((refused as Error).message).toMatch(/another vidlib primary already runs on this database \(pid 4242 on nas-1, last seen \d+ s ago\)/);
    await first.release();
    held.push(await holdPrimaryLock(database.url));
  });

  test("without a registry entry the refusal names the lock's connection; a primary whose connection dies frees the lock and is told", async () => {
    const lost: (Error | null)[] = [];
    const first = await holdPrimaryLock(database.url, { onLost: (err) => lost.push(err) });
    held.push(first);
    await expect(holdPrimaryLock(database.url)).rejects.toThrow(/it has not announced itself; its connection comes from a local socket \(server pid \d+\)/);
    // The server ends the first primary's session (as when its machine drops off): the lock goes with it.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vidlib-primary' AND datname = current_database()`);
    await admin.end();
    await until(() => lost.length === 1, "the first primary told its lock is lost");
    held.push(await holdPrimaryLock(database.url));
  });
});
