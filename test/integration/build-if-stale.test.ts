import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir } from "../support/temp-dir.js";

// `npm start` runs `bin/build.js --if-stale` first: it must compile only when a source changed, so a
// start takes no compile time. Tried here on a small project laid out like vidlib's.
const REPO = fileURLToPath(new URL("../..", import.meta.url));

describe("bin/build.js --if-stale", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const file = (path: string): string => join(tmp.dir, path);
  const build = (...args: string[]) => spawnSync(process.execPath, [file("bin/build.js"), ...args], { encoding: "utf8" });
  const builtAt = (): number => statSync(file("dist/src/main.js")).mtimeMs;
  /**
   * Makes files look older: the stamp a minute, sources two minutes, so sources are surely older than the
   * stamp, and the next change surely newer.
   */
  const age = (...paths: string[]): void => {
    for (const path of paths) {
      const past = new Date(Date.now() - (path.startsWith("dist/") ? 60_000 : 120_000));
      utimesSync(file(path), past, past);
    }
  };

  beforeEach(() => {
    tmp = makeTempDir();
    mkdirSync(file("bin"));
    mkdirSync(file("src"));
    copyFileSync(join(REPO, "bin/build.js"), file("bin/build.js"));
    symlinkSync(join(REPO, "node_modules"), file("node_modules"));
    writeFileSync(file("tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", target: "ES2022", strict: true, rootDir: ".", outDir: "dist", types: [] } }));
    writeFileSync(file("tsconfig.build.json"), JSON.stringify({ extends: "./tsconfig.json", include: ["src"] }));
    writeFileSync(file("src/main.ts"), "export const answer: number = 42;\n");
    writeFileSync(file("src/extra.ts"), "export const extra = 1;\n");
  });
  afterEach(() => tmp.cleanup());

  test("builds when there is no build, then not again until a source, a folder or a setting changes", () => {
    expect(build("--if-stale").status).toBe(0);
    expect(existsSync(file("dist/.build-stamp"))).toBe(true);
    const first = builtAt();
    age("dist/.build-stamp", "dist/src/main.js");
    const stamped = statSync(file("dist/.build-stamp")).mtimeMs;

    age("src/main.ts", "src/extra.ts", "src", "tsconfig.json", "tsconfig.build.json");
    expect(build("--if-stale").status).toBe(0);
    expect(statSync(file("dist/.build-stamp")).mtimeMs).toBe(stamped);
    expect(builtAt()).toBeLessThan(first);

    writeFileSync(file("src/main.ts"), "export const answer: number = 43;\n");
    expect(build("--if-stale").status).toBe(0);
    expect(statSync(file("dist/.build-stamp")).mtimeMs).toBeGreaterThan(stamped);

    // A removed source changes only its folder's time.
    age("dist/.build-stamp", "src/main.ts", "tsconfig.json", "tsconfig.build.json");
    age("src");
    rmSync(file("src/extra.ts"));
    const beforeRemoval = statSync(file("dist/.build-stamp")).mtimeMs;
    expect(build("--if-stale").status).toBe(0);
    expect(statSync(file("dist/.build-stamp")).mtimeMs).toBeGreaterThan(beforeRemoval);
  });

  test("a failed build says so, exits non-zero and leaves the stamp alone, so the next start tries again", () => {
    expect(build().status).toBe(0);
    age("dist/.build-stamp", "src/main.ts", "src/extra.ts", "src", "tsconfig.json", "tsconfig.build.json");
    const stamped = statSync(file("dist/.build-stamp")).mtimeMs;
    writeFileSync(file("src/main.ts"), "export const answer: number = 'not a number';\n");
    const failed = build("--if-stale");
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain("the TypeScript build failed");
    expect(statSync(file("dist/.build-stamp")).mtimeMs).toBe(stamped);
    expect(build("--if-stale").status).not.toBe(0);
  });
});
