import { expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { TypeormFolderNaming } from "../../src/infra/database/stores/folder-naming-store.js";
import { MIGRATIONS } from "../../migrations/index.js";
import { POSTGRES_MIGRATIONS } from "../../migrations/postgres/index.js";
import { eachDatabase, type DatabaseKind } from "../support/postgres.js";

/** A video row as a database from before named folders holds it (no folder column yet). */
async function insertOldVideo(ds: DataSource, kind: DatabaseKind, root: string, relativePath: string): Promise<void> {
  const values = [`${root}/${relativePath}`, root, relativePath, relativePath, ".ts"];
  const marks = values.map((_, i) => (kind === "postgres" ? `$${i + 1}` : "?")).join(", ");
  await ds.query(`INSERT INTO "video" ("path", "root", "relative_path", "file_name", "extension", "size_bytes", "mtime_ms", "status", "created_at", "updated_at")
    VALUES (${marks}, 100, 1, 'indexed', 1, 1)`, values);
}

const rows = async (ds: DataSource): Promise<{ id: number; root: string; folder: string | null }[]> =>
  (await ds.query<{ id: number | string; root: string; folder: string | null }[]>(`SELECT "id", "root", "folder" FROM "video" ORDER BY "id"`))
    .map((r) => ({ id: Number(r.id), root: r.root, folder: r.folder }));

eachDatabase("named library folders", (open, kind) => {
  test("the migration gives existing videos an empty folder name; the primary's start names them by path and renames them when LIBRARY_ROOTS renames a folder", async () => {
    const { dataSource: ds, close } = await open();
    try {
      const chain = kind === "postgres" ? POSTGRES_MIGRATIONS : MIGRATIONS;
      // Back to the schema before this migration (and the ones after it).
      const at = chain.findIndex((m) => /LibraryFolderNames1763600000030$/.test(m.name));
      expect(at).toBeGreaterThan(0);
      const later = chain.slice(at).map((m) => m.name);
      for (const _ of later) await ds.undoLastMigration({ transaction: "each" });
      await insertOldVideo(ds, kind, "/srv/lectures", "phy/L1.ts");
      await insertOldVideo(ds, kind, "/srv/lectures", "phy/L2.ts");
      await insertOldVideo(ds, kind, "/srv/old", "x.ts");
      expect((await ds.runMigrations({ transaction: "each" })).map((m) => m.name)).toEqual(later);
      const before = await rows(ds);
      expect(before.map((r) => r.folder)).toEqual([null, null, null]);

      const naming = new TypeormFolderNaming(ds);
      expect(await naming.nameFolders([{ name: "lectures", path: "/srv/lectures" }, { name: "raw", path: "/srv/raw" }])).toBe(2);
      // Nothing to do the next time.
      expect(await naming.nameFolders([{ name: "lectures", path: "/srv/lectures" }])).toBe(0);
      // Renamed in the configuration, same path: the same rows, under the new name; a folder no longer configured keeps its rows as they were.
      expect(await naming.nameFolders([{ name: "talks", path: "/srv/lectures" }])).toBe(2);
      expect(await rows(ds)).toEqual([
        { id: before[0]?.id, root: "/srv/lectures", folder: "talks" }, { id: before[1]?.id, root: "/srv/lectures", folder: "talks" },
        { id: before[2]?.id, root: "/srv/old", folder: null },
      ]);

      // And down again: the column goes, the rows stay.
      for (const _ of later) await ds.undoLastMigration({ transaction: "each" });
      const [count] = await ds.query<{ n: number | string }[]>(`SELECT count(*) AS n FROM "video"`);
      expect(Number(count?.n)).toBe(3);
    } finally {
      await close();
    }
  });
});
