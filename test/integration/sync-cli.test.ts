import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

const STALLED_SYNC = fileURLToPath(new URL("../../dist/test/support/stalled-sync.js", import.meta.url));

/** A sync of folder 1 in a separate process, stopped half way through its copy (see test/support/stalled-sync.ts). */
async function stalledSync(): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [STALLED_SYNC, "1"], { cwd: tmp.dir, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/copying \d+/u.test(output)) resolve();
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    child.once("exit", () => reject(new Error(`the stalled sync exited early:\n${output}`)));
  });
  return { child, exited };
}

test("a vidlib sync killed mid-copy: while it lives another run is refused (exit 1, naming it); once it is gone the next run carries on at once", async () => {
  const target = join(library, "Lectures");
  await cli("sync", "add", source, target);
  const big = randomBytes(4 * 1024 * 1024);
  writeFileSync(join(source, "Big lecture.mp4"), big);
  const { child, exited } = await stalledSync();
  expect(readdirSync(target).some((n) => n.endsWith(".part"))).toBe(true);
  expect(existsSync(join(target, "Big lecture.mp4"))).toBe(false);

  const refused = await cli("sync");
  expect(refused.code).toBe(1);
  expect(refused.out).toContain(`skipped, because a sync of this folder is running elsewhere (process ${child.pid} on ${hostname()}, last heard from`);

  child.kill("SIGKILL");
  await exited;
  const resumed = await cli("sync");
  expect(resumed.out).toContain("Carrying on with 1 interrupted sync");
  expect(resumed.out).toContain("✅ Sync finished");
  expect(resumed.code).toBe(0);
  expect(createHash("sha256").update(readFileSync(join(target, "Big lecture.mp4"))).digest("hex")).toBe(createHash("sha256").update(big).digest("hex"));
  expect(readdirSync(target)).toEqual(["Big lecture.mp4"]);
});

test("vidlib sync --delete of a source that suddenly looks empty removes nothing, says why and exits 1; so does a dry run", async () => {
  const target = join(library, "Lectures");
  await cli("sync", "add", source, target);
  for (const name of ["L01.mp4", "L02.mp4", "L03.mp4"]) writeFileSync(join(source, name), name);
  expect((await cli("sync")).code).toBe(0);
  for (const name of ["L01.mp4", "L02.mp4", "L03.mp4"]) rmSync(join(source, name));

  const dry = await cli("sync", "--dry-run");
  expect(dry.code).toBe(1);
  expect(dry.out).toContain("Nothing was removed: the source folder is empty (is the share mounted?)");
  const run = await cli("sync", "--delete");
  expect(run.code).toBe(1);
  expect(run.out).toContain("Nothing was removed: the source folder is empty (is the share mounted?)");
  expect(run.out).toContain("3 files that left the source were kept");
  expect(readdirSync(target).sort()).toEqual(["L01.mp4", "L02.mp4", "L03.mp4"]);
  expect(existsSync(join(tmp.dir, "data", "trash"))).toBe(false);
});

test("vidlib sync leaves a file that is still being written for a later run", async () => {
  process.env.SCAN_SETTLE_SECONDS = "3600";
  const target = join(library, "Lectures");
  await cli("sync", "add", source, target);
  writeFileSync(join(source, "done.mp4"), "finished long ago");
  const past = new Date(Date.now() - 2 * 3600_000);
  utimesSync(join(source, "done.mp4"), past, past);
  writeFileSync(join(source, "recording.mp4"), "still growing");
  const run = await cli("sync");
  expect(run.out).toContain("Copied 1 file ");
  expect(run.out).toContain("1 file is still being written");
  expect(readdirSync(target)).toEqual(["done.mp4"]);
});
