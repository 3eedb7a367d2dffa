import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { cli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

let tmp: { dir: string; cleanup: () => void };
let saved: NodeJS.ProcessEnv;
let source: string;
let library: string;
beforeEach(() => {
  tmp = makeTempDir();
  saved = { ...process.env };
  source = join(tmp.dir, "share", "Lectures");
  library = join(tmp.dir, "library");
  mkdirSync(source, { recursive: true });
  mkdirSync(library);
  process.env.DATA_DIR = join(tmp.dir, "data");
  process.env.LIBRARY_ROOTS = library;
  // The files these tests write are finished at once; the settle rule has its own test below.
  process.env.SCAN_SETTLE_SECONDS = "0";
  delete process.env.TELEGRAM_BOT_TOKEN;
  delete process.env.ADMIN_IDS;
});
afterEach(() => {
  process.env = saved;
  tmp.cleanup();
});


test("vidlib sync: add, list, copy, a dry run that changes nothing, and --delete within the cap", async () => {
  const target = join(library, "Lectures");
  expect((await cli("sync", "add", source, join(tmp.dir, "outside"))).out).toContain("Not registered: the target must be inside a library folder");
  expect((await cli("sync", "add", source, target)).out).toBe(`Registered 1. ${source} → ${target}`);
  expect((await cli("sync", "list")).out).toBe(`1. ${source} → ${target}`);
  for (const name of ["L01.mp4", "L02.ts", "L03 <&>.mp4"]) writeFileSync(join(source, name), name);

  const copied = await cli("sync");
  expect(copied.code).toBe(0);
  expect(copied.out).toContain("✅ Sync finished");
  expect(copied.out).toContain("Copied 3 files");
  expect(existsSync(join(target, "L03 <&>.mp4"))).toBe(true);

  rmSync(join(source, "L02.ts"));
  const dry = await cli("sync", "--dry-run");
  expect(dry.out).toContain("1 file is no longer in the source");
  expect(dry.out).toContain("• L02.ts");
  expect(existsSync(join(target, "L02.ts"))).toBe(true);

  const kept = await cli("sync");
  expect(kept.out).toContain("1 file that left the source was kept");
  expect(existsSync(join(target, "L02.ts"))).toBe(true);

  const removed = await cli("sync", "--delete", "1");
  expect(removed.code).toBe(0);
  expect(removed.out).toContain("🔍 Sync preview"); // the preview is printed before anything is removed
  expect(removed.out).toContain("moved 1 to the trash");
  expect(existsSync(join(target, "L02.ts"))).toBe(false);

  expect((await cli("sync", "--dry-run", "--delete")).code).toBe(2);
  expect((await cli("sync", "7")).out).toContain("No sync folder has that id");
});

test("vidlib sync --delete over the cap copies, removes nothing and exits 1; a missing source fails", async () => {
  const target = join(library, "Lectures");
  await cli("sync", "add", source, target);
  for (let i = 0; i < 25; i++) writeFileSync(join(source, `L${i}.mp4`), `lecture ${i}`);
  await cli("sync");
  for (let i = 0; i < 25; i++) rmSync(join(source, `L${i}.mp4`));
  const refused = await cli("sync", "--delete");
  expect(refused.code).toBe(1);
  expect(refused.out).toContain("more than the deletion cap of 20");
  expect(refused.out).toContain("25 files that left the source were kept");
  rmSync(source, { recursive: true });
  const failed = await cli("sync");
  expect(failed.code).toBe(1);
  expect(failed.out).toContain("does not exist (is the share mounted?)");
});
