import { describe, expect, test } from "vitest";
import { join } from "node:path";
import { LibraryLocator } from "../../src/services/library/locator.js";

const folders = [{ name: "lectures", path: "/srv/nas/lectures" }, { name: "raw", path: "/srv/nas/raw" }];
const file = { folder: "lectures", root: "/srv/nas/lectures", relativePath: "phy/L1.ts", path: "/srv/nas/lectures/phy/L1.ts" };

describe("where a library file is on this machine", () => {
  test("on the primary a file is where the index says, and a file it writes is recorded under its folder's name", () => {
    const locator = new LibraryLocator(folders, new Map([["lectures", "/mnt/ignored"]]));
    expect(locator.here(file)).toBe(file.path);
    expect(locator.recorded("/srv/nas/raw/a/b.mp4")).toEqual({ folder: "raw", root: "/srv/nas/raw", relativePath: join("a", "b.mp4"), path: "/srv/nas/raw/a/b.mp4" });
    expect(locator.recorded("/srv/nas/other/b.mp4")).toBeNull();
    expect(locator.recorded("/srv/nas/lectures")).toBeNull();
    expect(locator.nameOf("/srv/nas/raw")).toBe("raw");
  });

  test("on a worker a file is found through the map (or at the primary's path when unmapped), and recorded with the primary's path", () => {
    const locator = new LibraryLocator([], new Map([["lectures", "/mnt/lectures"]]));
    locator.usePrimaryFolders(folders);
    expect(locator.here(file)).toBe(join("/mnt/lectures", "phy", "L1.ts"));
    expect(locator.here({ ...file, folder: "raw", root: "/srv/nas/raw", path: "/srv/nas/raw/phy/L1.ts" })).toBe(join("/srv/nas/raw", "phy", "L1.ts"));
    // A row from before folders had names is found by its folder's path on the primary.
    expect(locator.here({ ...file, folder: null })).toBe(join("/mnt/lectures", "phy", "L1.ts"));
    // A folder the primary no longer has: never the primary's absolute path.
    expect(locator.here({ ...file, folder: "gone", root: "/srv/gone" })).toBeNull();
    expect(locator.recorded("/mnt/lectures/phy/L1.mp4")).toEqual({ folder: "lectures", root: "/srv/nas/lectures", relativePath: "phy/L1.mp4", path: "/srv/nas/lectures/phy/L1.mp4" });
    // The primary's own path of a mapped folder is not where this machine has it.
    expect(locator.recorded("/srv/nas/lectures/phy/L1.mp4")).toBeNull();
  });

  test("a worker records files in the primary's path syntax when the primary runs on Windows", () => {
    const locator = new LibraryLocator([], new Map([["lectures", "/mnt/lectures"]]));
    locator.usePrimaryFolders([{ name: "lectures", path: "D:\\Lectures" }]);
    expect(locator.here({ folder: "lectures", root: "D:\\Lectures", relativePath: "phy\\L1.ts", path: "D:\\Lectures\\phy\\L1.ts" })).toBe(join("/mnt/lectures", "phy", "L1.ts"));
    expect(locator.recorded(join("/mnt/lectures", "phy", "L1.mp4"))).toEqual({ folder: "lectures", root: "D:\\Lectures", relativePath: "phy\\L1.mp4", path: "D:\\Lectures\\phy\\L1.mp4" });
  });
});
