import type { DataSource, EntityMetadata } from "typeorm";

/** One table's rows in the source and, after the copy, in the target. */
export interface TableCount {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

export type CopyResult =
  | { readonly ok: true; readonly tables: readonly TableCount[] }
  | { readonly ok: false; readonly problem: string; readonly tables?: readonly TableCount[] };

/** Per-run state, not library content: a copied library starts with no processes announced and no folder locked. */
const SKIPPED = new Set(["process_presence", "folder_lock"]);
/** Rows the migrations put in a new database (the scan generation counter): replaced by the copied ones. */
const SEEDED = new Set(["library_generation"]);
const BATCH = 500;

/** Tables in an order where every foreign key points to a table already copied. */
function inDependencyOrder(metadatas: readonly EntityMetadata[]): EntityMetadata[] {
  const byTable = new Map(metadatas.map((m) => [m.tableName, m]));
  const done = new Set<string>();
  const ordered: EntityMetadata[] = [];
  const visit = (m: EntityMetadata, path: Set<string>): void => {
    if (done.has(m.tableName) || path.has(m.tableName)) return;
    path.add(m.tableName);
    for (const fk of m.foreignKeys) {
      const parent = byTable.get(fk.referencedTablePath);
      if (parent !== undefined && parent !== m) visit(parent, path);
    }
    done.add(m.tableName);
    ordered.push(m);
  };
  for (const m of [...metadatas].sort((a, b) => a.tableName.localeCompare(b.tableName))) visit(m, new Set());
  return ordered;
}

const count = async (ds: DataSource, table: string): Promise<number> =>
  Number((await ds.createQueryBuilder().select("count(*)", "n").from(table, "t").getRawOne<{ n: number | string }>())?.n ?? 0);

/**
 * Copies every table the entities describe from an SQLite database into an empty, migrated PostgreSQL
 * database, in foreign-key order and in batches, then moves each id sequence past the copied ids and checks
 * the counts. Booleans (0/1 in SQLite) become booleans. The search index is rebuilt by the primary from the
 * copied videos (they are listed on `search_dirty`), as any change would be.
 */
export async function copySqliteToPostgres(source: DataSource, target: DataSource, progress: (table: string, rows: number) => void = () => undefined): Promise<CopyResult> {
  const tables = inDependencyOrder(target.entityMetadatas.filter((m) => !SKIPPED.has(m.tableName)));
  const notEmpty: string[] = [];
  for (const m of tables) if (!SEEDED.has(m.tableName) && (await count(target, m.tableName)) > 0) notEmpty.push(m.tableName);
  if (notEmpty.length > 0) return { ok: false, problem: `the target database is not empty (${notEmpty.slice(0, 5).join(", ")}${notEmpty.length > 5 ? ", …" : ""}); copy into a new, empty database` };
  const result: TableCount[] = [];
  await target.transaction(async (m) => {
    for (const table of SEEDED) await m.createQueryBuilder().delete().from(table).execute();
    for (const meta of tables) {
      const columns = meta.columns.map((c) => ({ name: c.databaseName, boolean: c.type === "boolean" || c.type === Boolean }));
      const order = meta.primaryColumns.map((c) => `"${c.databaseName}"`).join(", ") || "1";
      let copied = 0;
      for (let offset = 0; ; offset += BATCH) {
        const rows = await source.query<Record<string, unknown>[]>(`SELECT * FROM "${meta.tableName}" ORDER BY ${order} LIMIT ${BATCH} OFFSET ${offset}`);
        if (rows.length === 0) break;
        // PostgreSQL's own placeholders, by column name (the rows are the database's, not the entities').
        const params: unknown[] = [];
        const tuples = rows.map((row) => `(${columns.map((c) => {
          const v = row[c.name] ?? null;
          params.push(c.boolean && v !== null ? Boolean(v) : v);
          return `$${params.length}`;
        }).join(", ")})`);
        await m.query(`INSERT INTO "${meta.tableName}" (${columns.map((c) => `"${c.name}"`).join(", ")}) VALUES ${tuples.join(", ")}`, params);
        copied += rows.length;
        progress(meta.tableName, copied);
      }
      // Ids given by the copy, not by the sequence: the next insert must not collide with them.
      const generated = meta.columns.find((c) => c.isGenerated && c.generationStrategy === "increment");
      if (generated !== undefined) {
        await m.query(`SELECT setval(pg_get_serial_sequence('"${meta.tableName}"', '${generated.databaseName}'), GREATEST((SELECT max("${generated.databaseName}") FROM "${meta.tableName}"), 1), (SELECT count(*) > 0 FROM "${meta.tableName}"))`);
      }
    }
    // The primary indexes these for search at its start (VideoFollowUps.resume).
    await m.query(`INSERT INTO "search_dirty" ("video_id") SELECT "id" FROM "video" ON CONFLICT DO NOTHING`);
  });
  for (const meta of tables) result.push({ table: meta.tableName, source: await count(source, meta.tableName), target: await count(target, meta.tableName) });
  const differ = result.filter((t) => t.source !== t.target && t.table !== "search_dirty");
  if (differ.length > 0) return { ok: false, problem: `counts differ after the copy: ${differ.map((t) => `${t.table} ${t.source} → ${t.target}`).join(", ")}`, tables: result };
  return { ok: true, tables: result };
}
