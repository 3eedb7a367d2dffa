import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { describe, expect, test } from "vitest";

const FEATURES = resolve("src/bot/features");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The feature folder a file belongs to, or null for a file directly under features/ (the list, or one not yet moved). */
function featureOf(path: string): string | null {
  const parts = relative(FEATURES, path).split(sep);
  return parts.length > 1 ? (parts[0] ?? null) : null;
}

const importsOf = (path: string): string[] => [...readFileSync(path, "utf8").matchAll(/from\s+"([^"]+)"/gu)].map((m) => m[1] ?? "");

describe("the bot's features stand alone", () => {
  const files = filesUnder(FEATURES).filter((f) => featureOf(f) !== null);

  test("there are feature folders to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test("a feature imports no other feature, except the buttons it draws for it", () => {
    const crossings = files.flatMap((file) => importsOf(file)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => resolve(file, "..", spec))
      .filter((target) => target.startsWith(FEATURES + sep))
      .filter((target) => featureOf(target) !== featureOf(file) && !target.endsWith(`${sep}buttons.js`))
      .map((target) => `${relative(FEATURES, file)} → ${relative(FEATURES, target)}`));
    expect(crossings).toEqual([]);
  });

  test("a feature reaches services only through what its factory was given", () => {
    const reaching = files.filter((file) => /deps\.services|ctx\.deps/u.test(readFileSync(file, "utf8"))).map((f) => relative(FEATURES, f));
    expect(reaching).toEqual([]);
  });

  test("the rule catches a crossing (it can fail)", () => {
    const file = join(FEATURES, "tags", "index.ts");
    const target = resolve(file, "..", "../search/index.js");
    expect(featureOf(target)).toBe("search");
    expect(featureOf(target) !== featureOf(file) && !target.endsWith(`${sep}buttons.js`)).toBe(true);
  });
});
