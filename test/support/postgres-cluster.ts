import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where the PostgreSQL tests find a server: a URL to an administrative database, or why there is none. */
export type PostgresServer = { readonly url: string; readonly stop: () => void } | { readonly unavailable: string };

function findBinaries(): string | null {
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" }).stdout.trim();
  if (onPath !== "" && existsSync(join(onPath, "..", "initdb"))) return join(onPath, "..");
  const debian = "/usr/lib/postgresql";
  if (!existsSync(debian)) return null;
  const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  const found = versions.map((v) => join(debian, v, "bin")).find((bin) => existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl")));
  return found ?? null;
}

/**
 * A throwaway cluster in a temporary folder, listening only on a unix socket there: initdb and pg_ctl
 * refuse to run as root, so as root they run as the `postgres` user. Durability is off; it is thrown away.
 */
function startCluster(bin: string): PostgresServer {
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    if (id.status !== 0) return { unavailable: "running as root and there is no postgres user to run initdb as" };
    owner = { uid: Number(id.stdout.trim()), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()) };
  }
  const dir = mkdtempSync(join(tmpdir(), "vidlib-pg-"));
  if (owner !== null) chownSync(dir, owner.uid, owner.gid);
  const run = (tool: string, args: string[]): void => {
    const [command, fullArgs] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]] : [join(bin, tool), args];
    const result = spawnSync(command, fullArgs, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  const data = join(dir, "data");
  const port = "5432";
  try {
    run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
    run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-o",
      `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`, "start"]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `could not start a throwaway cluster: ${(err as Error).message}` };
  }
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    stop: () => {
      try { run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

/** VIDLIB_TEST_PG_URL when set (a database the tests may CREATE DATABASE from), else a throwaway cluster if PostgreSQL is installed. */
export function postgresServer(env: NodeJS.ProcessEnv): PostgresServer {
  const given = env.VIDLIB_TEST_PG_URL?.trim();
  if (given) return { url: given, stop: () => undefined };
  const bin = findBinaries();
  if (bin === null) return { unavailable: "no VIDLIB_TEST_PG_URL and no initdb/pg_ctl found (install the postgresql package)" };
  return startCluster(bin);
}
