import { afterEach, describe, expect, test } from "vitest";
import { POSTGRES_MIGRATIONS } from "../../migrations/postgres/index.js";
import { cli } from "../support/cli.js";
import { emptyPostgresDatabase, postgresForTests } from "../support/postgres.js";

const server = postgresForTests();
const required = process.env.VIDLIB_REQUIRE_PG === "1";

describe.skipIf("unavailable" in server && !required)(`vidlib on PostgreSQL${"unavailable" in server ? ` — skipped: ${server.unavailable}` : ""}`, () => {
  const saved = process.env.DATABASE_URL;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await drop?.();
  });

  test("`vidlib migrate` migrates the database DATABASE_URL names, once; the other commands say they are not ready", async () => {
    if ("unavailable" in server) throw new Error(`no PostgreSQL server for the tests: ${server.unavailable}`);
    const database = await emptyPostgresDatabase(server.url);
    drop = database.drop;
    process.env.DATABASE_URL = database.url;
    expect(await cli("migrate")).toMatchObject({ code: 0, out: `Applied: ${POSTGRES_MIGRATIONS.map((m) => new m().name).join(", ")}` });
    expect(await cli("migrate")).toMatchObject({ code: 0, out: expect.stringMatching(/^Database postgres:\/\/.* is up to date\.$/) as unknown });
    const scan = await cli("scan");
    expect(scan.code).toBe(2);
    expect(scan.err).toMatch(/vidlib scan does not run on PostgreSQL yet.*Unset DATABASE_URL/);
  });
});
