import { afterEach, beforeEach, expect, test } from "vitest";
import { MIGRATIONS } from "../../migrations/index.js";
import { POSTGRES_MIGRATIONS } from "../../migrations/postgres/index.js";
import { AuditEvent } from "../../src/entities/audit-event.js";
import { Channel } from "../../src/entities/channel.js";
import { Video } from "../../src/entities/video.js";
import { eachDatabase, type TestDatabase } from "../support/postgres.js";

const GB = 1024 ** 3;

eachDatabase("the data layer", (open, kind) => {
  let db: TestDatabase;
  beforeEach(async () => { db = await open(); });
  afterEach(async () => { await db.close(); });

  test("every migration of the driver's list is applied, once", async () => {
    const list = kind === "postgres" ? POSTGRES_MIGRATIONS : MIGRATIONS;
    const applied = await db.dataSource.query<{ name: string }[]>(`SELECT "name" FROM "migrations" ORDER BY "id"`);
    expect(applied.map((m) => m.name)).toEqual(list.map((m) => new m().name));
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  test("the migrated schema is exactly what the entities describe", async () => {
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  test("64-bit sizes, millisecond times and Telegram chat ids round-trip through entities as numbers", async () => {
    const now = Date.now();
    const videos = db.dataSource.getRepository(Video);
    const saved = await videos.save(videos.create({
      path: "/lib/big.mkv", root: "/lib", relativePath: "big.mkv", fileName: "big.mkv", extension: ".mkv",
      sizeBytes: 5 * GB, mtimeMs: now + 0.25, probedAt: now, createdAt: now, updatedAt: now, bitRate: 40_000_000_000,
    }));
    const read = await videos.findOneByOrFail({ id: saved.id });
    expect(read).toMatchObject({ id: saved.id, sizeBytes: 5 * GB, mtimeMs: now + 0.25, probedAt: now, createdAt: now, bitRate: 40_000_000_000 });
    expect(typeof read.id).toBe("number");
    const channels = db.dataSource.getRepository(Channel);
    await channels.insert({ chatId: -1_002_345_678_901, title: "Lectures", username: null, audience: "students", createdAt: now });
    expect((await channels.findOneByOrFail({ chatId: -1_002_345_678_901 })).chatId).toBe(-1_002_345_678_901);
    // Aggregates too: COUNT is bigint on PostgreSQL and SUM of bigint numeric; both come back as numbers.
    const totals = await videos.createQueryBuilder("v").select("COUNT(*)", "n").addSelect("SUM(v.size_bytes)", "bytes").getRawOne<{ n: unknown; bytes: unknown }>();
    expect(totals).toEqual({ n: 1, bytes: 5 * GB });
  });

  test("the audit trail refuses updates and deletes, whoever writes", async () => {
    const events = db.dataSource.getRepository(AuditEvent);
    await events.insert({ at: Date.now(), actorKind: "system", actorId: "test", action: "x", targetType: null, targetId: null, before: null, after: null });
    await expect(events.update({ action: "x" }, { action: "y" })).rejects.toThrow(/append-only/);
    await expect(events.delete({ action: "x" })).rejects.toThrow(/append-only/);
    expect(await events.countBy({ action: "x" })).toBe(1);
  });

  test("a category is never mapped to a channel of another audience, whichever side changes", async () => {
    const q = (sql: string): Promise<unknown> => db.dataSource.query(sql);
    await q(`INSERT INTO category (name, key, audience, created_at) VALUES ('Physics', 'physics', 'students', 1), ('Staff', 'staff', 'staff', 1)`);
    await q(`INSERT INTO channel (chat_id, title, audience, created_at) VALUES (-1001, 'Students', 'students', 1), (-1002, 'Staff', 'staff', 1)`);
    const ids = async (table: string): Promise<number[]> => (await db.dataSource.query<{ id: number }[]>(`SELECT id FROM "${table}" ORDER BY id`)).map((r) => r.id);
    const [physics, staff] = await ids("category");
    const [students, staffChannel] = await ids("channel");
    await q(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (${physics}, ${students}, 'user:1', 1)`);
    await expect(q(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (${staff}, ${students}, 'user:1', 1)`)).rejects.toThrow(/audience mismatch/);
    await expect(q(`UPDATE category_channel SET channel_id = ${staffChannel} WHERE category_id = ${physics}`)).rejects.toThrow(/audience mismatch/);
    await expect(q(`UPDATE category SET audience = 'staff' WHERE id = ${physics}`)).rejects.toThrow(/audience mismatch/);
    await expect(q(`UPDATE channel SET audience = 'staff' WHERE id = ${students}`)).rejects.toThrow(/audience mismatch/);
    // Nothing changed, and an unmapped row changes freely.
    expect(await db.dataSource.query(`SELECT category_id, channel_id FROM category_channel`)).toEqual([{ category_id: physics, channel_id: students }]);
    await q(`UPDATE category SET audience = 'students' WHERE id = ${staff}`);
  });

  test.runIf(kind === "postgres")("an integer beyond Number.MAX_SAFE_INTEGER is refused, not rounded", async () => {
    await expect(db.dataSource.query(`SELECT 9007199254740993::bigint AS "n"`)).rejects.toThrow(/9007199254740993, beyond the integers/);
    expect(await db.dataSource.query(`SELECT 9007199254740991::bigint AS "n"`)).toEqual([{ n: 9007199254740991 }]);
  });
});
