import { afterEach, beforeEach, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir } from "../support/temp-dir.js";

// Root reads every folder whatever its mode, so the walk runs in a child process as "nobody" when the
// tests run as root (as CI does), and as the current user otherwise.
const WALK = fileURLToPath(new URL("../../dist/src/infra/fs/walk.js", import.meta.url));
const isRoot = process.getuid?.() === 0;

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => { tmp = makeTempDir(); chmodSync(tmp.dir, 0o755); });
afterEach(() => { chmodSync(join(tmp.dir, "root", "locked"), 0o755); tmp.cleanup(); });

test("a folder that cannot be read is reported, and everything else is still listed", () => {
  const root = join(tmp.dir, "root");
  mkdirSync(join(root, "open"), { recursive: true });
  mkdirSync(join(root, "locked"));
  writeFileSync(join(root, "open", "a.mp4"), "x");
  writeFileSync(join(root, "locked", "b.mp4"), "x");
  chmodSync(join(root, "locked"), 0o000);
  const script = `const { walkRoot } = await import(${JSON.stringify(WALK)});
    const walk = await walkRoot(${JSON.stringify(root)}, { extensions: new Set([".mp4"]) });
    console.log(JSON.stringify(walk));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8", ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  expect(child.stderr).toBe("");
  const walk = JSON.parse(child.stdout) as { state: string; files: { path: string }[]; problems: { path: string; reason: string }[] };
  expect(walk.state).toBe("ok");
  expect(walk.files.map((f) => f.path)).toEqual([join(root, "open", "a.mp4")]);
  expect(walk.problems).toEqual([{ path: join(root, "locked"), reason: "cannot read folder: EACCES" }]);
});
