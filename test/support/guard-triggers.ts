import type { DataSource } from "typeorm";

/**
 * Removes one of the database's guard triggers, for the tests that check what stands behind it.
 * PostgreSQL's triggers belong to their table and are dropped by it; SQLite's are named alone.
 */
export async function dropGuardTrigger(dataSource: DataSource, trigger: string, table: string): Promise<void> {
  await dataSource.query(dataSource.options.type === "postgres" ? `DROP TRIGGER "${trigger}" ON "${table}"` : `DROP TRIGGER "${trigger}"`);
}
