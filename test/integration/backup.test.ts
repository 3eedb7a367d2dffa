import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openDatabase } from "../../src/infra/database/database.js";
import { holdPidFile } from "../../src/infra/database/sqlite-backup.js";
import { cli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { insertVideo } from "../support/videos.js";

let tmp: { dir: string; cleanup: () => void };
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  tmp = makeTempDir();
  saved = { ...process.env };
  process.env.DATA_DIR = join(tmp.dir, "data");
  delete process.env.TELEGRAM_BOT_TOKEN;
  delete process.env.ADMIN_IDS;
});
afterEach(() => {
  process.env = saved;
  tmp.cleanup();
});


test("vidlib backup copies the database while it is open and being written; restore refuses while vidlib runs, then puts it back", async () => {
  const { dataSource } = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") });
  try {
    for (let i = 0; i < 50; i++) await insertVideo(dataSource, `L${i}.mp4`);
    // Writes go on during the backup: the copy is a consistent snapshot either way.
    const writing = (async () => { for (let i = 50; i < 100; i++) await insertVideo(dataSource, `L${i}.mp4`); })();
    const backup = join(tmp.dir, "backups", "monday <&>.sqlite");
    const made = await cli("backup", backup);
    await writing;
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/videos\)\. The copy passed SQLite's integrity check\.$/u);
    const videosInBackup = Number(/, (\d+) videos\)/u.exec(made.out)?.[1]);
    expect(videosInBackup).toBeGreaterThanOrEqual(50);
    expect(videosInBackup).toBeLessThanOrEqual(100);
    expect((await cli("backup", backup)).err).toContain("already exists");

    // The database changes after the backup; the running bot holds the pid file.
    await dataSource.query(`DELETE FROM video`);
    const release = holdPidFile(join(tmp.dir, "data", "vidlib.pid"));
    const refused = await cli("restore", backup);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`vidlib is running (process ${process.pid})`);
    release();
    await dataSource.destroy();

    const restored = await cli("restore", backup);
    expect(restored.code).toBe(0);
    expect(restored.out).toContain(`(${videosInBackup} videos)`);
    expect(restored.out).toContain("is kept as");
    const reopened = await openDatabase({ path: join(tmp.dir, "data", "vidlib.sqlite") });
    const [row] = await reopened.dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM video`);
    expect(row?.n).toBe(videosInBackup);
    await reopened.dataSource.destroy();
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
});

test("a file that is not a vidlib database is never restored", async () => {
  const bogus = join(tmp.dir, "bogus.sqlite");
  writeFileSync(bogus, "not a database at all");
  const result = await cli("restore", bogus);
  expect(result.code).toBe(1);
  expect(result.err).toMatch(/Restore failed: the backup cannot be restored/u);
  expect(existsSync(join(tmp.dir, "data", "vidlib.sqlite"))).toBe(false);
});
