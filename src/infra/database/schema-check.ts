import type { DataSource } from "typeorm";

/**
 * Why this program may not use the database's schema, or null when it matches: a worker never migrates (the
 * primary does), so it refuses a database that is behind its own migrations or ahead of them.
 */
export async function schemaMismatch(dataSource: DataSource, known: readonly string[]): Promise<string | null> {
  const table = dataSource.options.migrationsTableName ?? "migrations";
  const hasTable = await dataSource.createQueryRunner().hasTable(table);
  const applied = hasTable
    ? (await dataSource.createQueryBuilder().select("m.name", "name").from(table, "m").getRawMany<{ name: string }>()).map((r) => r.name)
    : [];
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    return `the database was migrated by a newer vidlib (${unknown.join(", ")}); update vidlib on this machine to the primary's version`;
  }
  const missing = known.filter((name) => !applied.includes(name));
  if (missing.length > 0) {
    return `the database is not at this vidlib's schema yet (${missing.length} migration${missing.length === 1 ? "" : "s"} to apply); start or update the primary first, it migrates the database`;
  }
  return null;
}
