import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { createDataSource, openDatabase } from "../../src/infra/database.js";
import { MIGRATIONS } from "../../migrations/index.js";
import { makeTempDir } from "../support/temp-dir.js";

async function tableNames(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query(
    `SELECT name FROM sqlite_master WHERE type IN ('table','trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  return rows.map((r) => r.name);
}

describe("migrations", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ds: DataSource | undefined;
  beforeEach(() => { tmp = makeTempDir(); });
  afterEach(async () => { if (ds?.isInitialized) await ds.destroy(); tmp.cleanup(); });

  test("run up, down and up again on an empty database file", async () => {
    const path = join(tmp.dir, "db", "vidlib.sqlite");
    ({ dataSource: ds } = await openDatabase({ path }));
    const afterFirstUp = await tableNames(ds);
    expect(afterFirstUp).toEqual(expect.arrayContaining(
      ["audit_event", "category", "channel", "conversation_state", "migrations", "setting", "tag", "user", "video", "video_tag",
        "audit_event_no_update", "audit_event_no_delete"]));

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: "each" });
    expect(await tableNames(ds)).toEqual(["migrations"]);

    const reapplied = await ds.runMigrations({ transaction: "each" });
    expect(reapplied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tableNames(ds)).toEqual(afterFirstUp);
  });

  test("the migrated schema is exactly what the entities describe", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite") }));
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  test("opening again applies nothing twice", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    const first = await openDatabase({ path });
    expect(first.applied).toHaveLength(MIGRATIONS.length);
    await first.dataSource.destroy();
    ({ dataSource: ds } = await openDatabase({ path }));
    expect(await ds.showMigrations()).toBe(false);
  });

  test("WAL, foreign keys and a busy timeout are on", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite"), busyTimeoutMs: 4321 }));
    expect(await ds.query("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
    expect(await ds.query("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    expect(await ds.query("PRAGMA busy_timeout")).toEqual([{ timeout: 4321 }]);
    await expect(ds.query(`INSERT INTO video_tag (video_id, tag_id) VALUES (999, 999)`)).rejects.toThrow(/FOREIGN KEY/);
  });

  test("the audit trail refuses updates and deletes", async () => {
    ({ dataSource: ds } = await openDatabase({ path: join(tmp.dir, "vidlib.sqlite") }));
    await ds.query(`INSERT INTO audit_event (at, actor_kind, actor_id, action) VALUES (1, 'system', 'test', 'x')`);
    await expect(ds.query(`UPDATE audit_event SET action = 'y'`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  test("the schema never comes from synchronize", () => {
    expect(createDataSource({ path: ":memory:" }).options.synchronize).toBe(false);
  });
});
