import pg from "pg";
import { SERVER_NOW_MS } from "./database-clock.js";

/** The advisory lock only the primary holds: one per database, the same for every vidlib version ("vidl"). */
export const PRIMARY_LOCK_KEY = 0x7669_646c;

/** Thrown when another process holds the primary lock; the message names it when it announced itself. */
export class AnotherPrimaryError extends Error {
  constructor(readonly holder: string) {
    super(`another vidlib primary already runs on this database (${holder}); only one primary may run: stop it first, `
      + "or start this process as a worker (`vidlib worker --roles …`)");
    this.name = "AnotherPrimaryError";
  }
}

/** The held lock: released by closing its connection (or by this process ending). */
export interface PrimaryLock {
  release(): Promise<void>;
}

export interface PrimaryLockOptions {
  /** Called if the lock's connection breaks: the lock is gone, and another primary may start. */
  readonly onLost?: (err: Error | null) => void;
}

/**
 * Makes this process the one primary of a PostgreSQL database: pg_try_advisory_lock on a connection of its
 * own, held for the process's life (a session lock ends with its connection, so a crashed primary frees it
 * at once). A second primary is refused with AnotherPrimaryError, which names the other one (host and pid
 * from the process registry, or its connection as PostgreSQL sees it). On SQLite the pid file guards instead.
 */
export async function holdPrimaryLock(url: string, options: PrimaryLockOptions = {}): Promise<PrimaryLock> {
  const client = new pg.Client({ connectionString: url, application_name: "vidlib-primary" });
  await client.connect();
  let released = false;
  try {
    const { rows } = await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock($1) AS held", [PRIMARY_LOCK_KEY]);
    if (rows[0]?.held !== true) throw new AnotherPrimaryError(await describeHolder(client));
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  const lost = (err: Error | null): void => {
    if (released) return;
    released = true;
    options.onLost?.(err);
  };
  client.on("error", lost);
  client.on("end", () => lost(null));
  return {
    release: async () => {
      released = true;
      await client.end().catch(() => undefined);
    },
  };
}

interface Announced { host: string; pid: string; name: string; ago_ms: string | null }
interface Connected { client_addr: string | null; client_pid: number | null }

/** Who holds the lock: the primary the process registry lists as running, else the lock's connection. */
async function describeHolder(client: pg.Client): Promise<string> {
  try {
    const { rows: [announced] } = await client.query<Announced>(`SELECT "host", "pid"::text AS "pid", "name",
        (${SERVER_NOW_MS} - "seen_at")::text AS "ago_ms"
      FROM "process_presence" WHERE "role" = 'primary' AND "stopped_at" IS NULL ORDER BY "seen_at" DESC LIMIT 1`);
    if (announced !== undefined) {
      const ago = announced.ago_ms === null ? "" : `, last seen ${Math.max(0, Math.round(Number(announced.ago_ms) / 1000))} s ago`;
      return `pid ${announced.pid} on ${announced.host}${ago}`;
    }
  } catch {
    // No registry yet (a database not migrated): fall back to what PostgreSQL knows.
  }
  const { rows: [connected] } = await client.query<Connected>(`SELECT host(a.client_addr) AS client_addr, a.pid AS client_pid
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objid = $1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    LIMIT 1`, [PRIMARY_LOCK_KEY]);
  if (connected === undefined) return "it has not announced itself";
  return `it has not announced itself; its connection comes from ${connected.client_addr ?? "a local socket"} (server pid ${connected.client_pid})`;
}
