import { describe, expect, test } from "vitest";
import { escapeHtml } from "../../src/infra/telegram/html.js";
import { formatAgo, formatSpan, plural } from "../../src/services/shared/units.js";
import { LibraryPaths } from "../../src/services/library/library-paths.js";
import { emptyProgress, type ScanReport } from "../../src/services/library/scan-report.js";
import { clip, progressText, summaryText } from "../../src/services/library/scan-summary.js";
import { problemPageText, PROBLEMS_PER_PAGE } from "../../src/services/library/problem-list.js";
import { statusText, type LibraryTotals } from "../../src/services/library/library-stats.js";

/** Telegram's length of an HTML text: entities parsed, so what is left is the visible text. */
const visible = (html: string): number => html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&").length;

describe("human wording", () => {
  test("relative times in seconds, minutes, hours and days, with plurals", () => {
    expect(formatAgo(0.2)).toBe("just now");
    expect(formatAgo(1)).toBe("1 second ago");
    expect(formatAgo(59)).toBe("59 seconds ago");
    expect(formatAgo(60)).toBe("1 minute ago");
    expect(formatAgo(34 * 60 + 10)).toBe("34 minutes ago");
    expect(formatAgo(3600)).toBe("1 hour ago");
    expect(formatAgo(5 * 3600 + 59 * 60)).toBe("5 hours ago");
    expect(formatAgo(86_400)).toBe("1 day ago");
    expect(formatAgo(40 * 86_400)).toBe("40 days ago");
  });

  test("durations in the two largest units", () => {
    expect(formatSpan(0)).toBe("0 seconds");
    expect(formatSpan(1)).toBe("1 second");
    expect(formatSpan(62)).toBe("1 minute 2 seconds");
    expect(formatSpan(3600)).toBe("1 hour");
    expect(formatSpan(3 * 3600 + 5 * 60 + 9)).toBe("3 hours 5 minutes");
    expect(formatSpan(86_400 + 3600)).toBe("1 day 1 hour");
  });

  test("plurals", () => {
    expect(plural(1, "file")).toBe("1 file");
    expect(plural(0, "file")).toBe("0 files");
    expect(plural(1234, "video")).toBe("1,234 videos");
  });

  test("clipping keeps both ends and never splits an emoji", () => {
    const text = `${"🎬".repeat(50)}middle${"🎬".repeat(50)}`;
    const clipped = clip(text, 21);
    expect(clipped.length).toBeLessThanOrEqual(21);
    expect(clipped).toMatch(/^(🎬)+…(🎬)+$/u);
    expect(clip("short", 10)).toBe("short");
  });
});

describe("library paths", () => {
  test("one folder: paths relative to it", () => {
    const paths = new LibraryPaths(["/srv/media/Lectures"]);
    expect(paths.show("/srv/media/Lectures/Phy/L01.mp4")).toBe("Phy/L01.mp4");
    expect(paths.folder("/srv/media/Lectures")).toBe("Lectures");
  });

  test("several folders: the folder's name first, made distinct when two share a name", () => {
    const paths = new LibraryPaths(["/mnt/a/Lectures", "/mnt/b/Lectures", "/srv/Extra"]);
    expect(paths.show("/mnt/a/Lectures/x.mp4")).toBe("a/Lectures/x.mp4");
    expect(paths.show("/mnt/b/Lectures/y.mp4")).toBe("b/Lectures/y.mp4");
    expect(paths.show("/srv/Extra/z.mp4")).toBe("Extra/z.mp4");
  });
});

const report = (over: Partial<ScanReport>): ScanReport => ({ ...emptyProgress(0), phase: "done", roots: [], unreadableFiles: [], problems: [], problemCount: 0, links: [], linkCount: 0, ...over });

describe("scan texts", () => {
  test("while listing: what was found so far, no rate and no zero counts that are not known yet", () => {
    const text = progressText({ ...emptyProgress(0), found: 1, elapsedMs: 12_000 });
    expect(text).toBe("🔎 Scanning the library… (listing files)\nfound 1 file so far\n12 seconds");
  });

  test("while reading: what is still being read", () => {
    const text = progressText({ ...emptyProgress(0), phase: "probing", found: 210, toProbe: 190, probed: 40, probingStartedAt: 2000, elapsedMs: 12_000,
      pending: { new: 189, changed: 1, gone: 1, restored: 1 }, unreadableRead: 1 });
    expect(text).toContain("(reading 40 of 190 new or changed files)");
    expect(text).toContain("found 210 files · 189 new and 1 changed to read, 150 still being read");
    expect(text).toContain("1 file no longer at its path (moved or missing: known at the end)");
    expect(text).toContain("1 missing file is back");
    expect(text).toContain("4.0 files/s · 12 seconds");
    expect(text).not.toContain("new 0");
  });

  test("the summary uses the library's counts and says one file, not one files", () => {
    const text = summaryText(report({ found: 3, restored: 1, settling: 1, failedProbes: 1, unreadable: 1, unreadableFiles: [{ path: "/r/a.mp4", reason: "bad" }],
      library: { unreadable: 5, missing: 2 }, elapsedMs: 61_000 }), (t) => t, new LibraryPaths(["/r"]));
    expect(text).toContain("✅ Scan finished in 1 minute 1 second");
    expect(text).toContain("missing 2 · unreadable 5\n(this scan: 1 newly unreadable)");
    expect(text).toContain("1 file that had been missing is back");
    expect(text).toContain("1 file is still being copied; it will be indexed when it stops changing");
    expect(text).toContain("1 file could not be read this time (timeout); it will be tried again");
    expect(text).toContain("• a.mp4 — bad");
    expect(text).not.toMatch(/\b1 files\b/);
  });

  test("a summary with hundreds of long, escaped problems stays within 4096 characters", () => {
    const long = (i: number): { path: string; reason: string } => ({ path: `/r/${"<&> 🎬 ".repeat(40)}${i}.mp4`, reason: "Invalid <data> & more ".repeat(10) });
    const many = Array.from({ length: 200 }, (_, i) => long(i));
    const text = summaryText(report({ unreadable: 900, unreadableFiles: many, problems: many, problemCount: 900,
      roots: [{ root: "/r", state: "ok", found: 1, missing: 0, guard: { reason: "x", wouldMarkMissing: 1 } }] }), escapeHtml, new LibraryPaths(["/r"]), 3900);
    expect(visible(text)).toBeLessThanOrEqual(4096);
    expect(text).toContain("… and");
    expect(text).toContain("1 indexed file was not found there");
  });
});

describe("/status and the problem list", () => {
  const totals: LibraryTotals = { videos: 1, seconds: 60, bytes: 10, unreadable: 0, missing: 0, byCategory: [{ name: "Phy", videos: 1, seconds: 60 }], presentByRoot: new Map() };

  test("one video, folders by name with their state", () => {
    const text = statusText({ totals, lastScan: "34 minutes ago", scanning: null, roots: [
      { root: "/a", name: "A", state: "ok" }, { root: "/b", name: "B", state: "unreachable", reason: "the folder is gone (is the share mounted?)" },
      { root: "/c", name: "C", state: "held", reason: "3 of 4 files (75 %) would be marked missing" }] }, escapeHtml);
    expect(text).toContain("• Phy — 1 video, 0.0 h");
    expect(text).toContain("• ✓ A\n• ✗ B — unreachable: the folder is gone (is the share mounted?)\n• ⚠️ C — needs attention: 3 of 4 files");
    expect(text).toContain("Last scan: 34 minutes ago");
  });

  test("a library with hundreds of long category names and folder names still fits one message", () => {
    const byCategory = Array.from({ length: 300 }, (_, i) => ({ name: `${"<Category & more> ".repeat(10)}${i}`, videos: 1, seconds: 1 }));
    const roots = Array.from({ length: 8 }, (_, i) => ({ root: `/r${i}`, name: `Folder ${i}`, state: "unreachable" as const, reason: "the folder is gone (is the share mounted?)" }));
    const text = statusText({ totals: { ...totals, byCategory }, lastScan: null, scanning: null, roots }, escapeHtml);
    expect(visible(text)).toBeLessThanOrEqual(4096);
    expect(text).toContain("… and 270 more categories (/categories)");
  });

  test("a page of the longest names fits Telegram's limit", () => {
    const files = Array.from({ length: PROBLEMS_PER_PAGE }, (_, i) => ({
      path: `/r/${"<b>&🎬".repeat(60)}${i}.mp4`, status: i % 2 === 0 ? "unreadable" as const : "missing" as const, reason: "<x> & y ".repeat(40), since: 0 }));
    const page = problemPageText(files, { unreadable: 500, missing: 500 }, 3, new LibraryPaths(["/r"]), escapeHtml, 3_600_000);
    expect(page.pages).toBe(Math.ceil(1000 / PROBLEMS_PER_PAGE));
    expect(page.text).toContain(`page 4 of ${page.pages}`);
    expect(visible(page.text)).toBeLessThanOrEqual(4096);
  });
});
