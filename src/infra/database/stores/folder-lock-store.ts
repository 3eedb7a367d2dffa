import type { DataSource } from "typeorm";
import { SERVER_NOW_MS } from "../database-clock.js";
import type { FolderLockStore, LockHolder } from "../../../services/locks/folder-locks.js";

type Params = Record<string, string | number>;

/**
 * Folder locks as rows of `folder_lock`, one statement per step. Taking is INSERT … ON CONFLICT DO UPDATE …
 * WHERE the lease ran out, the same on both databases: the row's uniqueness makes it atomic (PostgreSQL
 * re-checks the condition on the row another taker just wrote). PostgreSQL compares and writes lease ends on
 * the server's clock, which every process shares; SQLite, on one machine, uses the process clock (`now`).
 */
export class TypeormFolderLockStore implements FolderLockStore {
  private readonly postgres: boolean;
  private readonly now: string;

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === "postgres";
    this.now = this.postgres ? SERVER_NOW_MS : ":now";
  }

  async take(name: string, owner: string, leaseMs: number, now: number): Promise<{ taken: true } | { taken: false; holder: LockHolder | null }> {
    const taken = await this.rows(`INSERT INTO "folder_lock" ("name", "owner", "lease_until", "renewed_at") SELECT :name, :owner, "n"."ms" + :leaseMs, "n"."ms"
      FROM (SELECT ${this.now} AS "ms") "n" WHERE 1 = 1
      ON CONFLICT ("name") DO UPDATE SET "owner" = "excluded"."owner", "lease_until" = "excluded"."lease_until", "renewed_at" = "excluded"."renewed_at"
      WHERE "folder_lock"."lease_until" < "excluded"."renewed_at" RETURNING "owner"`, { name, owner, leaseMs, now });
    if (taken.length === 1) return { taken: true };
    const [row] = await this.rows(`SELECT "owner", "renewed_at" FROM "folder_lock" WHERE "name" = :name`, { name }) as { owner: string; renewed_at: number | string }[];
    return { taken: false, holder: row === undefined ? null : { owner: row.owner, renewedAt: Number(row.renewed_at) } };
  }

  async takeFrom(name: string, holder: string, owner: string, leaseMs: number, now: number): Promise<boolean> {
    return (await this.rows(`UPDATE "folder_lock" SET "owner" = :owner, "lease_until" = ${this.now} + :leaseMs, "renewed_at" = ${this.now}
      WHERE "name" = :name AND "owner" = :holder RETURNING "owner"`, { name, holder, owner, leaseMs, now })).length === 1;
  }

  async renew(name: string, owner: string, leaseMs: number, now: number): Promise<boolean> {
    // Still this owner's (nobody took it, even if its lease ran out meanwhile): nobody worked on the folder in between.
    return (await this.rows(`UPDATE "folder_lock" SET "lease_until" = ${this.now} + :leaseMs, "renewed_at" = ${this.now}
      WHERE "name" = :name AND "owner" = :owner RETURNING "owner"`, { name, owner, leaseMs, now })).length === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.rows(`DELETE FROM "folder_lock" WHERE "name" = :name AND "owner" = :owner`, { name, owner });
  }

  /** One statement with named parameters bound in the driver's placeholders; its rows (RETURNING or SELECT). */
  private async rows(template: string, params: Params): Promise<unknown[]> {
    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(template, params);
    const runner = this.dataSource.createQueryRunner();
    try {
      return ((await runner.query(sql, values, true)) as { records?: unknown[] }).records ?? [];
    } finally {
      await runner.release();
    }
  }
}
