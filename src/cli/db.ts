import { redactDatabaseUrl, type Config } from "../config.js";
import { openDatabase } from "../infra/database/database.js";
import { copySqliteToPostgres } from "../infra/database/sqlite-to-postgres-copy.js";
import { formatCount } from "../services/shared/units.js";

import { UsageError, type Out } from "./command.js";

export const DB_USAGE = `Usage: vidlib db copy --to postgres://user:password@host:5432/vidlib

Copies this SQLite library (videos, tags, categories, channels, the upload queue, the audit trail,
settings, everything) into an empty PostgreSQL database, migrating it first, and checks every table's
count. Stop vidlib first; then set DATABASE_URL to the same address. The SQLite file is not changed.`;

/** `vidlib db copy --to <url>`: moving an SQLite library over to PostgreSQL. */
export async function dbCommand(config: Config, positionals: readonly string[], to: string | undefined, out: Out, err: Out): Promise<number> {
  if (positionals[0] !== "copy" || positionals.length > 1) throw new UsageError(positionals.length === 0 ? "say what to do: vidlib db copy --to <url>" : `unknown: ${positionals.join(" ")}`);
  if (to === undefined || !/^postgres(ql)?:\/\//u.test(to)) throw new UsageError("--to needs a PostgreSQL address, postgres://…");
  if (config.database.driver !== "sqlite") {
    err("vidlib db copy copies an SQLite library: unset DATABASE_URL so that it reads the SQLite file.");
    return 2;
  }
  const { dataSource: source } = await openDatabase(config.database);
  try {
    let target;
    try {
      ({ dataSource: target } = await openDatabase({ driver: "postgres", url: to }));
    } catch (e) {
      err(`vidlib db copy: cannot open ${redactDatabaseUrl(to)}: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    try {
      out(`Copying ${config.database.path} into ${redactDatabaseUrl(to)}…`);
      const result = await copySqliteToPostgres(source, target);
      if (!result.ok) {
        err(`vidlib db copy: ${result.problem}.`);
        return 1;
      }
      for (const t of result.tables) if (t.source > 0) out(`  ${t.table}: ${formatCount(t.target)}`);
      const rows = result.tables.reduce((n, t) => n + t.target, 0);
      out(`Done: ${formatCount(rows)} rows in ${result.tables.length} tables, every count checked. Stop vidlib, set DATABASE_URL=${redactDatabaseUrl(to)} and start it again.`);
      return 0;
    } finally {
      await target.destroy();
    }
  } finally {
    await source.destroy();
  }
}
