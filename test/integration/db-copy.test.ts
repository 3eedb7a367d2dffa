import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { openDatabase } from "../../src/infra/database/database.js";
import { cli } from "../support/cli.js";
import { emptyPostgresDatabase, postgresForTests } from "../support/postgres.js";
import { makeTempDir } from "../support/temp-dir.js";

const server = postgresForTests();
const required = process.env.VIDLIB_REQUIRE_PG === "1";
const FIVE_GB = 5 * 1024 ** 3;

describe.skipIf("unavailable" in server && !required)(`vidlib db copy${"unavailable" in server ? ` — skipped: ${server.unavailable}` : ""}`, () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let saved: NodeJS.ProcessEnv;
  let drop: (() => Promise<void>) | undefined;
  beforeEach(() => {
    tmp = makeTempDir();
    saved = { ...process.env };
    process.env.DATA_DIR = join(tmp.dir, "data");
    process.env.LIBRARY_ROOTS = join(tmp.dir, "library");
    delete process.env.DATABASE_URL;
  });
  afterEach(async () => {
    process.env = saved;
    await drop?.();
    drop = undefined;
    tmp.cleanup();
  });

  test("copies an SQLite library into an empty PostgreSQL database with every count checked, values intact, ids continuing; refuses a database that is not empty", async () => {
    if ("unavailable" in server) throw new Error(`no PostgreSQL server for the tests: ${server.unavailable}`);
    // A library as the previous months left it, on SQLite.
    const { dataSource: lite } = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") });
    await lite.query(`INSERT INTO category (name, key, audience, created_at, review_first) VALUES ('Physics 🎓', 'physics', 'students', 1, 1), ('Staff <&>', 'staff', 'staff', 2, 0)`);
    await lite.query(`INSERT INTO channel (chat_id, title, username, audience, created_at) VALUES (-1001234567890, 'Physics · Students', NULL, 'students', 3)`);
    await lite.query(`INSERT INTO category_channel (category_id, channel_id, actor_id, updated_at) VALUES (1, 1, 'user:1', 4)`);
    await lite.query(`INSERT INTO video (path, root, relative_path, file_name, extension, size_bytes, mtime_ms, status, created_at, updated_at, category_id)
      VALUES ('/lib/JEE-Adv_Phy_L04.ts', '/lib', 'JEE-Adv_Phy_L04.ts', 'JEE-Adv_Phy_L04.ts', '.ts', ?, 1764000000123.5, 'indexed', 1, 1, 1),
             ('/lib/Q&A <live> 😀.mp4', '/lib', 'Q&A <live> 😀.mp4', 'Q&A <live> 😀.mp4', '.mp4', 42, 2, 'missing', 1, 1, NULL)`, [FIVE_GB]);
    await lite.query(`INSERT INTO tag (name, key, created_at) VALUES ('electrostatics', 'electrostatics', 1)`);
    await lite.query(`INSERT INTO video_tag (video_id, tag_id) VALUES (1, 1)`);
    await lite.query(`INSERT INTO job (kind, payload, state, run_at, attempts, max_attempts, cancel_requested, created_at, updated_at) VALUES ('conversion', '{"videoId":1}', 'queued', 5, 0, 4, 1, 5, 5)`);
    await lite.query(`INSERT INTO audit_event (at, actor_kind, actor_id, action, target_type, target_id, after) VALUES (7, 'user', '1', 'tag.add', 'video', '1', '{"tag":"electrostatics"}')`);
    await lite.query(`INSERT INTO setting (key, value, updated_at) VALUES ('captionTemplate', '"{title}\\n{hashtags}"', 8)`);
    await lite.destroy();

    const database = await emptyPostgresDatabase(server.url);
    drop = database.drop;
    const copied = await cli("db", "copy", "--to", database.url);
    expect(copied.err).toBe("");
    expect(copied.code).toBe(0);
    expect(copied.out).toContain("  video: 2");
    expect(copied.out).toContain("  video_tag: 1");
    expect(copied.out).toMatch(/Done: [\d,]+ rows in \d+ tables, every count checked\./);

    const { dataSource: pg, applied } = await openDatabase({ driver: "postgres", url: database.url });
    try {
      expect(applied).toEqual([]);
      expect(await pg.query(`SELECT id, size_bytes, mtime_ms, category_id FROM video ORDER BY id`)).toEqual([
        { id: 1, size_bytes: FIVE_GB, mtime_ms: 1764000000123.5, category_id: 1 }, { id: 2, size_bytes: 42, mtime_ms: 2, category_id: null }]);
      expect(await pg.query(`SELECT file_name FROM video WHERE id = 2`)).toEqual([{ file_name: "Q&A <live> 😀.mp4" }]);
      expect(await pg.query(`SELECT name, review_first FROM category ORDER BY id`)).toEqual([{ name: "Physics 🎓", review_first: true }, { name: "Staff <&>", review_first: false }]);
      expect(await pg.query(`SELECT chat_id FROM channel`)).toEqual([{ chat_id: -1001234567890 }]);
      expect(await pg.query(`SELECT cancel_requested, payload FROM job`)).toEqual([{ cancel_requested: true, payload: '{"videoId":1}' }]);
      expect(await pg.query(`SELECT action, after FROM audit_event`)).toEqual([{ action: "tag.add", after: '{"tag":"electrostatics"}' }]);
      // The search index is rebuilt by the primary from the copied videos.
      expect(await pg.query(`SELECT video_id FROM search_dirty ORDER BY video_id`)).toEqual([{ video_id: 1 }, { video_id: 2 }]);
      // New rows get ids after the copied ones.
      const [tag] = await pg.query<{ id: number }[]>(`INSERT INTO tag (name, key, created_at) VALUES ('optics', 'optics', 9) RETURNING id`);
      expect(tag?.id).toBe(2);
      // The integrity guards came along: the audit trail stays append-only.
      await expect(pg.query(`DELETE FROM audit_event`)).rejects.toThrow();
    } finally {
      await pg.destroy();
    }

    // In PostgreSQL mode a backup is pg_dump's, and pg_restore can read it back.
    process.env.DATABASE_URL = database.url;
    const backup = await cli("backup", join(tmp.dir, "copy.pgdump"));
    expect(backup.err).toBe("");
    expect(backup.out).toMatch(/^Backed up postgres:\/\/.* → .*copy\.pgdump \(.*\) with pg_dump\./);
    const listing = execFileSync("pg_restore", ["--list", join(tmp.dir, "copy.pgdump")], { encoding: "utf8" });
    expect(listing).toContain("TABLE DATA");
    expect(listing).toContain("video");
    delete process.env.DATABASE_URL;

    const again = await cli("db", "copy", "--to", database.url);
    expect(again.code).toBe(1);
    expect(again.err).toContain("the target database is not empty (");
    expect((await cli("db", "copy", "--to", "mysql://x")).code).toBe(2);
  });
});
