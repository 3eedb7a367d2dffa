// Set-up of the e2e-postgres test project: without a PostgreSQL server its tests are skipped and say why
// (as the other PostgreSQL suites are), unless VIDLIB_REQUIRE_PG=1 asks for a failure instead.
import { beforeEach } from "vitest";
import { postgresForTests } from "./postgres.js";

const server = postgresForTests();
if ("unavailable" in server && process.env.VIDLIB_REQUIRE_PG !== "1") {
  beforeEach((context) => { context.skip(`no PostgreSQL server: ${server.unavailable}`); });
}
