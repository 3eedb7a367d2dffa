import { describe, expect, test } from "vitest";
import { MTIME_TOLERANCE_MS, planSync } from "../../src/services/sync/sync-plan.js";
import { copyingText, progressBar } from "../../src/bot/views/sync-text.js";

const file = (relPath: string, size: number, mtimeMs: number) => ({ relPath, size, mtimeMs });

describe("planSync", () => {
  test("copies new, resized and newer files; proposes removing what left the source, except what vidlib made", () => {
    const plan = planSync(
      [file("new.mp4", 1, 0), file("resized.mp4", 2, 0), file("newer.mp4", 3, 10_000), file("same.mp4", 4, 0), file("tolerance.mp4", 5, MTIME_TOLERANCE_MS)],
      [file("resized.mp4", 9, 0), file("newer.mp4", 3, 0), file("same.mp4", 4, 50_000), file("tolerance.mp4", 5, 0), file("gone.ts", 6, 0), file("gone (converted).mp4", 7, 0)],
      new Set(["gone (converted).mp4"]),
    );
    expect(plan.copies.map((f) => f.relPath)).toEqual(["new.mp4", "newer.mp4", "resized.mp4"]);
    expect(plan.removals.map((f) => f.relPath)).toEqual(["gone.ts"]);
    expect(plan.unchanged).toBe(2);
  });

  test("names differing only in case are one file on a case-insensitive share", () => {
    const source = [file("Phy/L01.MP4", 1, 0)];
    const target = [file("phy/l01.mp4", 1, 0)];
    expect(planSync(source, target, new Set(), true)).toEqual({ copies: [], removals: [], unchanged: 1, settling: [], found: 1, present: 1 });
    expect(planSync(source, target, new Set(), false).removals).toHaveLength(1);
  });
});

describe("progress text", () => {
  test("the bar never shows 100 % before the last byte", () => {
    expect(progressBar(0, 100)).toBe("░░░░░░░░░░░░░░░░ 0 %");
    expect(progressBar(50, 100)).toBe("▓▓▓▓▓▓▓▓░░░░░░░░ 50 %");
    expect(progressBar(9999, 10000)).toMatch(/ 99 %$/u);
    expect(progressBar(100, 100)).toBe("▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓ 100 %");
    expect(progressBar(0, 0)).toMatch(/ 100 %$/u);
  });

  test("speed in MB/s and the time left, once the speed is known; titles are escaped", () => {
    const base = { title: "Dropbox <&> → Lectures", filesTotal: 10, filesDone: 4, bytesTotal: 1_000_000_000, bytesDone: 400_000_000 };
    expect(copyingText({ ...base, bytesPerS: null })).toContain("measuring speed…");
    const text = copyingText({ ...base, bytesPerS: 20_000_000 });
    expect(text).toContain("Dropbox &lt;&amp;&gt; → Lectures");
    expect(text).toContain("▓▓▓▓▓▓░░░░░░░░░░ 40 %");
    expect(text).toContain("4 of 10 files · 400.0 MB of 1.00 GB");
    expect(text).toContain("20.0 MB/s · ETA 0:30");
  });
});
