import { execFile } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A backup of a PostgreSQL database with pg_dump (its custom format, which pg_restore reads and which is
 * consistent while vidlib runs). The password travels in the environment, never on the command line.
 */
export async function dumpPostgres(url: string, destination: string, pgDump = "pg_dump"): Promise<{ path: string; bytes: number }> {
  mkdirSync(dirname(destination), { recursive: true });
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  try {
    await run(pgDump, ["--format=custom", "--no-owner", `--file=${destination}`, `--dbname=${parsed.toString()}`], {
      env: { ...process.env, ...(password === "" ? {} : { PGPASSWORD: password }) }, maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const failure = e as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") throw new Error("pg_dump was not found: install PostgreSQL's client tools (Debian: postgresql-client)", { cause: e });
    const said = (failure.stderr ?? "").split(password === "" ? "\u0000" : password).join("***").trim();
    throw new Error(`pg_dump failed: ${said || failure.message}`, { cause: e });
  }
  return { path: destination, bytes: statSync(destination).size };
}
