#!/usr/bin/env node
// Compiles the TypeScript sources into dist/. With --if-stale it compiles only when a source, a
// tsconfig or the package files changed since the last successful build, so `npm start` starts at once.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = join(root, "dist", ".build-stamp");
const INPUTS = ["src", "migrations", "test/support", "bench", "demo", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];

/** The newest change below a path: files and folders (a removed or renamed file changes its folder). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function upToDate() {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.every((input) => newest(join(root, input)) <= built);
}

if (process.argv.includes("--if-stale") && upToDate()) process.exit(0);

// The stamp takes the time the build started, so a file saved during the build counts as changed.
const started = new Date();
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (result.status !== 0) {
  process.stderr.write("vidlib: the TypeScript build failed (see above); dist/ may be incomplete.\n");
  process.exit(result.status ?? 1);
}
mkdirSync(dirname(STAMP), { recursive: true });
writeFileSync(STAMP, `${started.toISOString()}\n`);
utimesSync(STAMP, started, started);
