import { execFile } from "node:child_process";
import { access, constants, mkdir, opendir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GrammyError } from "grammy";
import { telegramApi } from "../telegram/api-client.js";
import type { HealthProbe } from "../../services/health/health.js";
import { createDataSource } from "../database/database.js";
import type { DatabaseConfig } from "../../config.js";
import { redactSecrets } from "../logging/redact.js";

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Gathers the health-check facts from this machine. */
export class SystemHealthProbe implements HealthProbe {
  nodeVersion(): string {
    return process.versions.node;
  }

  toolVersion(command: string): Promise<string | null> {
    return new Promise((resolve) => {
      execFile(command, ["-version"], { timeout: 10_000 }, (err, stdout) => {
        resolve(err === null ? (stdout.split("\n")[0] ?? "").replace(/\s+Copyright.*$/, "").trim() : null);
      });
    });
  }

  async writableDir(path: string): Promise<string | null> {
    try {
      await mkdir(path, { recursive: true });
      const probe = join(path, `.vidlib-write-test-${process.pid}`);
      await writeFile(probe, "ok");
      await rm(probe);
      return null;
    } catch (err) {
      return reason(err);
    }
  }

  async readableDir(path: string): Promise<string | null> {
    try {
      await access(path, constants.R_OK | constants.X_OK);
      await readdir(path);
      return null;
    } catch (err) {
      return reason(err);
    }
  }

  async isEmptyDir(path: string): Promise<boolean> {
    try {
      const dir = await opendir(path);
      const first = await dir.read();
      await dir.close();
      return first === null;
    } catch {
      return false;
    }
  }

  async database(database: DatabaseConfig): Promise<{ pendingMigrations: number; integrity: string; server?: string } | { error: string }> {
    const dataSource = createDataSource(database);
    try {
      await dataSource.initialize();
      const table = dataSource.options.migrationsTableName ?? "migrations";
      const hasTable = await dataSource.createQueryRunner().hasTable(table);
      const applied = hasTable
        ? (await dataSource.createQueryBuilder().select("m.name", "name").from(table, "m").getRawMany<{ name: string }>()).map((r) => r.name)
        : [];
      const pendingMigrations = dataSource.migrations.filter((m) => m.name === undefined || !applied.includes(m.name)).length;
      if (database.driver === "postgres") {
        // The server answered; its own consistency is its business (there is no quick check to run from here).
        const [row] = await dataSource.query<{ server_version: string }[]>("SHOW server_version");
        // "15.18 (Debian 15.18-0+deb12u1)": the version is the first word.
        return { pendingMigrations, integrity: "ok", server: row?.server_version.split(" ")[0] ?? "unknown" };
      }
      const [row] = await dataSource.query<{ quick_check: string }[]>("PRAGMA quick_check");
      return { pendingMigrations, integrity: row?.quick_check ?? "unknown" };
    } catch (err) {
      return { error: reason(err) };
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  }

  async getMe(token: string, apiRoot: string): Promise<{ username: string } | { error: string; unauthorized: boolean }> {
    try {
      const me = await telegramApi({ token, apiRoot }, { timeoutSeconds: 15 }).getMe();
      return { username: me.username };
    } catch (err) {
      const unauthorized = err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404);
      return { error: redactSecrets(reason(err), [token]), unauthorized };
    }
  }
}
