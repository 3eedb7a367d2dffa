import { join } from "node:path";
import { redactDatabaseUrl, type Config } from "../config.js";
import { backupDatabase, restoreDatabase, runningBot } from "../infra/database/sqlite-backup.js";
import { dumpPostgres } from "../infra/database/postgres-backup.js";
import { formatBytes } from "../services/shared/units.js";

import type { Out } from "./command.js";

/** 2026-11-21T09:05:03Z → "20261121-090503". */
export const fileStamp = (now: Date): string => now.toISOString().replace(/[-:]/gu, "").replace("T", "-").slice(0, 15);

export const pidFileOf = (config: Config): string => join(config.dataDir, "vidlib.pid");

/** `vidlib backup [file]`: an online backup of the database, safe while the bot runs. */
export async function backupCommand(config: Config, file: string | undefined, out: Out, err: Out): Promise<number> {
  if (config.database.driver === "postgres") {
    const destination = file ?? join(config.dataDir, "backups", `vidlib-${fileStamp(new Date())}.pgdump`);
    try {
      const result = await dumpPostgres(config.database.url, destination);
      out(`Backed up ${redactDatabaseUrl(config.database.url)} → ${result.path} (${formatBytes(result.bytes)}) with pg_dump. Restore it with pg_restore --clean --if-exists --dbname=<url> ${result.path}.`);
      return 0;
    } catch (e) {
      err(`Backup failed: ${(e as Error).message}`);
      return 1;
    }
  }
  const destination = file ?? join(config.dataDir, "backups", `vidlib-${fileStamp(new Date())}.sqlite`);
  try {
    const result = await backupDatabase(config.databasePath, destination);
    out(`Backed up ${config.databasePath} → ${result.path} (${formatBytes(result.bytes)}, ${result.videos} videos). The copy passed SQLite's integrity check.`);
    return 0;
  } catch (e) {
    err(`Backup failed: ${(e as Error).message}`);
    return 1;
  }
}

/** `vidlib restore <file>`: puts a backup in place of the database; vidlib must be stopped. */
export function restoreCommand(config: Config, backup: string | undefined, out: Out, err: Out): number {
  if (backup === undefined) {
    err("Usage: vidlib restore <backup file>   (stop vidlib first)");
    return 2;
  }
  const pid = runningBot(pidFileOf(config));
  if (pid !== null) {
    err(`vidlib is running (process ${pid}). Stop it first (systemctl stop vidlib, or stop the service), then restore.`);
    return 1;
  }
  try {
    const result = restoreDatabase(backup, config.databasePath, fileStamp(new Date()));
    out(`Restored ${backup} → ${config.databasePath} (${result.videos} videos).${result.kept === null ? "" : ` The database it replaced is kept as ${result.kept}.`} Start vidlib again; it applies any newer migrations.`);
    return 0;
  } catch (e) {
    err(`Restore failed: ${(e as Error).message}`);
    return 1;
  }
}
