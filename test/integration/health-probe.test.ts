import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SystemHealthProbe } from "../../src/infra/system/health-probe.js";
import { openDatabase } from "../../src/infra/database/database.js";
import { MIGRATIONS } from "../../migrations/index.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("the real health probe", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const probe = new SystemHealthProbe();
  beforeEach(() => { tmp = makeTempDir(); });
  afterEach(() => tmp.cleanup());

  test("finds ffmpeg and ffprobe, and not a missing tool", async () => {
    expect(await probe.toolVersion("ffmpeg")).toMatch(/^ffmpeg version \S+$/);
    expect(await probe.toolVersion("ffprobe")).toMatch(/^ffprobe version /);
    expect(await probe.toolVersion(join(tmp.dir, "no-such-ffmpeg"))).toBeNull();
  });

  test("tells writable and readable folders from missing ones", async () => {
    expect(await probe.writableDir(join(tmp.dir, "new", "data"))).toBeNull();
    expect(await probe.readableDir(tmp.dir)).toBeNull();
    expect(await probe.readableDir(join(tmp.dir, "unmounted-share"))).toMatch(/ENOENT/);
    mkdirSync(join(tmp.dir, "mount-point"));
    expect(await probe.isEmptyDir(join(tmp.dir, "mount-point"))).toBe(true);
    expect(await probe.isEmptyDir(tmp.dir)).toBe(false);
    const file = join(tmp.dir, "file");
    writeFileSync(file, "x");
    expect(await probe.writableDir(file)).not.toBeNull();
  });

  test("counts pending migrations and checks integrity", async () => {
    const path = join(tmp.dir, "vidlib.sqlite");
    expect(await probe.database({ driver: "sqlite", path })).toEqual({ pendingMigrations: MIGRATIONS.length, integrity: "ok" });
    const { dataSource } = await openDatabase({ path });
    await dataSource.destroy();
    expect(await probe.database({ driver: "sqlite", path })).toEqual({ pendingMigrations: 0, integrity: "ok" });
    const garbage = join(tmp.dir, "garbage.sqlite");
    writeFileSync(garbage, "this is not a database file at all, not even close ".repeat(200));
    expect(await probe.database({ driver: "sqlite", path: garbage })).toHaveProperty("error");
  });

  test("getMe against nothing listening is a network failure without the token in it", async () => {
    const token = "123456789:AAHsecretsecretsecretsecretsecret0123";
    const result = await probe.getMe(token, "http://127.0.0.1:1");
    expect(result).toMatchObject({ unauthorized: false });
    expect(JSON.stringify(result)).not.toContain("AAHsecret");
  });
});
