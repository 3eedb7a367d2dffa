import { afterEach, describe, expect, test } from "vitest";
import { join } from "node:path";
import { makeTempDir } from "../support/temp-dir.js";
import { makeClip } from "../support/media.js";
import { POSTGRES_MIGRATIONS } from "../../migrations/postgres/index.js";
import { cli } from "../support/cli.js";
import { emptyPostgresDatabase, postgresForTests } from "../support/postgres.js";

const server = postgresForTests();
const required = process.env.VIDLIB_REQUIRE_PG === "1";

describe.skipIf("unavailable" in server && !required)(`vidlib on PostgreSQL${"unavailable" in server ? ` — skipped: ${server.unavailable}` : ""}`, () => {
  const saved = { ...process.env };
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    process.env = { ...saved };
    await drop?.();
  });

  test("`vidlib migrate` migrates the database DATABASE_URL names, once; doctor checks the server and the schema; scan runs on it; restore points to pg_restore", async () => {
    if ("unavailable" in server) throw new Error(`no PostgreSQL server for the tests: ${server.unavailable}`);
    const database = await emptyPostgresDatabase(server.url);
    drop = database.drop;
    process.env.DATABASE_URL = database.url;
    const tmp = makeTempDir();
    process.env.DATA_DIR = join(tmp.dir, "data");
    process.env.LIBRARY_ROOTS = join(tmp.dir, "library");
    process.env.SCAN_SETTLE_SECONDS = "0";
    makeClip(join(tmp.dir, "library", "Phy L1.mp4"), { seconds: 1 });
    try {
      // Before any migration the doctor says the schema is behind, and how to fix it.
      const behind = await cli("doctor");
      expect(behind.out).toContain(`! database needs ${POSTGRES_MIGRATIONS.length} migration(s)`);
      expect(await cli("migrate")).toMatchObject({ code: 0, out: `Applied: ${POSTGRES_MIGRATIONS.map((m) => new m().name).join(", ")}` });
      expect(await cli("migrate")).toMatchObject({ code: 0, out: expect.stringMatching(/^Database postgres:\/\/.* is up to date\.$/) as unknown }); 
      const doctor = await cli("doctor");
      expect(doctor.out).toMatch(/✓ PostgreSQL database postgres:\/\/\S+ \(PostgreSQL \d+[.\d]*\S*\) is up to date/);
      expect(doctor.out).not.toContain("sqlite");
      // A server that does not answer is a failure that says what to check.
      process.env.DATABASE_URL = withPort(database.url, "1");
      const down = await cli("doctor");
      expect(down.code).toBe(1);
      expect(down.out).toContain("✗ PostgreSQL database postgres://");
      expect(down.out).toContain("fix: check DATABASE_URL");
      process.env.DATABASE_URL = database.url;
      const scan = await cli("scan");
      expect(scan).toMatchObject({ code: 0 });
      expect(scan.out).toContain("found 1 · new 1 · changed 0");
      const restore = await cli("restore", join(tmp.dir, "backup.sqlite"));
      expect(restore.code).toBe(2);
      expect(restore.err).toMatch(/restore a `vidlib backup` dump with pg_restore instead/);
    } finally {
      tmp.cleanup();
    }
  });
});

/** The URL with another port: a server that is not there. */
function withPort(url: string, port: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has("port")) parsed.searchParams.set("port", port);
  else parsed.port = port;
  return parsed.toString();
}
