import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";

interface SqliteDatabase {
  backup(destination: string): Promise<unknown>;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  prepare(sql: string): { get(...params: unknown[]): unknown };
  close(): void;
}
type SqliteConstructor = new (path: string, options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number }) => SqliteDatabase;

// TypeORM loads better-sqlite3 the same way; there are no type definitions to import.
const Database = createRequire(import.meta.url)("better-sqlite3") as SqliteConstructor;

export interface BackupResult {
  readonly path: string;
  readonly bytes: number;
  readonly videos: number;
}

/** Whether a file is a healthy vidlib database: integrity check passes and it has vidlib's tables; the number of videos. */
export function checkDatabaseFile(path: string): { ok: true; videos: number } | { ok: false; why: string } {
  if (!existsSync(path)) return { ok: false, why: `${path} does not exist` };
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") return { ok: false, why: `the integrity check says: ${String(integrity)}` };
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('migrations', 'video', 'audit_event')`).get() as { n: number };
    if (tables.n < 3) return { ok: false, why: "it is not a vidlib database" };
    return { ok: true, videos: (db.prepare(`SELECT count(*) AS n FROM video`).get() as { n: number }).n };
  } catch (err) {
    return { ok: false, why: (err as Error).message };
  } finally {
    db?.close();
  }
}

/**
 * Copies the database with SQLite's online backup API: a consistent snapshot, page by page, while the
 * bot goes on reading and writing. The copy is written under a temporary name and checked before it
 * gets its name.
 */
export async function backupDatabase(databasePath: string, destination: string): Promise<BackupResult> {
  if (existsSync(destination)) throw new Error(`${destination} already exists; choose another name`);
  mkdirSync(dirname(destination), { recursive: true });
  const temp = join(dirname(destination), `.${basename(destination)}.partial`);
  rmSync(temp, { force: true });
  const source = new Database(databasePath, { fileMustExist: true, timeout: 10_000 });
  try {
    await source.backup(temp);
  } finally {
    source.close();
  }
  const check = checkDatabaseFile(temp);
  if (!check.ok) {
    rmSync(temp, { force: true });
    throw new Error(`the backup did not verify: ${check.why}`);
  }
  renameSync(temp, destination);
  return { path: destination, bytes: statSync(destination).size, videos: check.videos };
}

/** The process id in the data folder's lock file, when that process is still running. */
export function runningBot(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

/** Marks the data folder as in use by this process; returns the function that releases it. */
export function holdPidFile(pidFile: string): () => void {
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, String(process.pid));
  return () => {
    try {
      if (readFileSync(pidFile, "utf8").trim() === String(process.pid)) unlinkSync(pidFile);
    } catch {
      // already gone
    }
  };
}

/**
 * Puts a backup in place of the database (vidlib must be stopped). The current database is kept beside
 * it as `<name>.before-restore-<time>` first, so a restore can itself be undone.
 */
export function restoreDatabase(backup: string, databasePath: string, stamp: string): { kept: string | null; videos: number } {
  const check = checkDatabaseFile(backup);
  if (!check.ok) throw new Error(`the backup cannot be restored: ${check.why}`);
  let kept: string | null = null;
  if (existsSync(databasePath)) {
    kept = `${databasePath}.before-restore-${stamp}`;
    copyFileSync(databasePath, kept);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(databasePath + suffix)) copyFileSync(databasePath + suffix, kept + suffix);
  }
  mkdirSync(dirname(databasePath), { recursive: true });
  const temp = `${databasePath}.restoring`;
  copyFileSync(backup, temp);
  // The write-ahead log belongs to the old database; left beside the new one it would be replayed into it.
  for (const suffix of ["-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  renameSync(temp, databasePath);
  return { kept, videos: check.videos };
}
