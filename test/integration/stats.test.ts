import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { SqliteStatsStore } from "../../src/infra/database/stores/stats-store.js";
import { decode } from "fast-png";
import { ResvgChartRasteriser } from "../../src/infra/resvg/chart-png.js";
import { barColumns, CHART_WIDTH, chartLayout, LIBRARY_COLOUR, PALETTE, PLOT, weeklyChartSvg } from "../../src/services/stats/weekly-chart.js";
import { StatsService, TYPING_GAP_MS, weekStartOf } from "../../src/services/stats/stats-service.js";
import { makeTestDatabase, manualClock } from "../support/database.js";
import { makeTempDir } from "../support/temp-dir.js";
import { insertVideo } from "../support/videos.js";

const DAY = 86_400_000;
const OWNER = { kind: "user" as const, id: 1, role: "owner" as const };
// Wednesday 2026-11-18 12:00 UTC: its week starts on Monday 2026-11-16.
const NOW = Date.UTC(2026, 10, 18, 12);

let db: { dataSource: DataSource; close: () => Promise<void> };
let clock: ReturnType<typeof manualClock>;
let stats: StatsService;
beforeEach(async () => {
  db = await makeTestDatabase();
  clock = manualClock(NOW);
  stats = new StatsService(new SqliteStatsStore(db.dataSource), clock, new ResvgChartRasteriser());
});
afterEach(async () => db.close());

async function publish(ds: DataSource, videoId: number, channel: string, at: number): Promise<void> {
  await ds.query(`INSERT INTO publication (video_id, sent_video_id, channel_id, chat_id, channel_title, message_id, caption, actor_id, sent_at)
    VALUES (?, ?, 1, -100, ?, 1, '', 'test', ?)`, [videoId, videoId, channel, at]);
}

describe("search analytics", () => {
  test("counts searches, words, searches with no result and chosen videos; inline keystrokes are one search", async () => {
    const l4 = await insertVideo(db.dataSource, "JEE-Adv_Phy-ElectroStatics_L04.mp4");
    const chat = await stats.recordSearch(10, "chat", "JEE advanced physics", 3);
    expect(await stats.recordChoice(chat, 10, l4)).toBe(true);
    expect(await stats.recordChoice(chat, 11, l4)).toBe(false); // not that person's search
    await stats.recordSearch(11, "chat", "Chemistry", 0);
    await stats.recordSearch(12, "chat", "chemistry", 0);
    // Typing "ele", "elec", "electrostatics" in inline mode is one search; a new word later is another.
    const first = await stats.recordSearch(10, "inline", "ele", 9);
    clock.advance(2_000);
    expect(await stats.recordSearch(10, "inline", "elec", 7)).toBe(first);
    clock.advance(2_000);
    expect(await stats.recordSearch(10, "inline", "electrostatics", 2)).toBe(first);
    expect(await stats.recordInlineChoice(10, "electrostatics", l4)).toBe(true);
    clock.advance(TYPING_GAP_MS + 1);
    expect(await stats.recordSearch(10, "inline", "electrostatics lecture", 1)).not.toBe(first);

    const report = await stats.report(OWNER);
    expect(report.searches).toBe(5);
    expect(report.topWords.slice(0, 2)).toEqual([{ word: "chemistry", count: 2 }, { word: "electrostatics", count: 2 }]);
    expect(report.topWords).toContainEqual({ word: "physics", count: 1 });
    expect(report.noResults).toEqual([{ query: "Chemistry", count: 2 }]);
    expect(report.topChosen).toEqual([{ videoId: l4, fileName: "JEE-Adv_Phy-ElectroStatics_L04.mp4", count: 2 }]);
    const rows = await db.dataSource.query<{ query: string; results: number; chosen_video_id: number | null }[]>(`SELECT query, results, chosen_video_id FROM search_log WHERE source = 'inline' ORDER BY id`);
    expect(rows).toEqual([{ query: "electrostatics", results: 2, chosen_video_id: l4 }, { query: "electrostatics lecture", results: 1, chosen_video_id: null }]);
  });

  test("weekly figures: posts per channel per week and the library's size, Monday to Sunday (UTC)", async () => {
    const monday = weekStartOf(NOW);
    expect(new Date(monday).toISOString()).toBe("2026-11-16T00:00:00.000Z");
    const old = await insertVideo(db.dataSource, "old.mp4");
    await db.dataSource.query(`UPDATE video SET created_at = ? WHERE id = ?`, [monday - 60 * DAY, old]);
    const a = await insertVideo(db.dataSource, "a.mp4");
    const b = await insertVideo(db.dataSource, "b.mp4");
    await db.dataSource.query(`UPDATE video SET created_at = ? WHERE id IN (?, ?)`, [monday - 5 * DAY, a, b]);
    await publish(db.dataSource, a, "Physics", monday - 4 * DAY);
    await publish(db.dataSource, b, "Physics", monday - 3 * DAY);
    await publish(db.dataSource, b, "Staff", monday + DAY);
    const report = await stats.report(OWNER);
    expect(report.weeks).toHaveLength(8);
    const [lastWeek, thisWeek] = report.weeks.slice(-2);
    expect(lastWeek).toMatchObject({ weekStart: monday - 7 * DAY, videosAdded: 2, videosTotal: 3 });
    expect([...(lastWeek?.postsByChannel ?? [])]).toEqual([["Physics", 2]]);
    expect(thisWeek).toMatchObject({ weekStart: monday, videosAdded: 0, videosTotal: 3 });
    expect([...(thisWeek?.postsByChannel ?? [])]).toEqual([["Staff", 1]]);
    expect(report.weeks[0]).toMatchObject({ videosAdded: 0, videosTotal: 1 });
  });

  test("the chart is a PNG drawn from SVG with the shipped font: each channel's bar in its colour, a legend, titles and axis labels", async () => {
    const monday = weekStartOf(NOW);
    const staff = "Staff <Team> & \u{1F393}";
    const weeks = Array.from({ length: 8 }, (_, i) => ({
      weekStart: monday - (7 - i) * 7 * DAY,
      postsByChannel: new Map(i === 6 ? [["Physics", 4], [staff, 2]] : i === 7 ? [["Physics", 1]] : []),
      videosAdded: i,
      videosTotal: 10 + i * (i + 1) / 2,
    }));
    const png = await stats.weeklyChart(weeks);
    const layout = chartLayout(2);
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, "chart.png");
      writeFileSync(file, png);
      const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_streams", "-of", "json", file], { encoding: "utf8" })) as { streams: { codec_name: string; width: number; height: number }[] };
      expect(probe.streams[0]).toMatchObject({ codec_name: "png", width: CHART_WIDTH, height: layout.height });
    } finally {
      tmp.cleanup();
    }
    const image = pixels(png);
    expect(image.width).toBe(CHART_WIDTH);
    const at = image.at;
    const columns = barColumns(8);
    const middle = (i: number): number => (columns[i]?.x ?? 0) + Math.floor((columns[i]?.width ?? 0) / 2);
    const { posts, library } = layout;
    // Week 7: Physics (first colour) at the bottom of its stack, Staff (second) above; week 1: no posts, white.
    expect(at(middle(6), posts.bottom - 5)).toEqual([...(PALETTE[0] ?? [])]);
    expect(at(middle(6), posts.top + 5)).toEqual([...(PALETTE[1] ?? [])]);
    expect(at(middle(0), posts.bottom - 5)).toEqual([255, 255, 255]);
    // The library's bars grow: the last reaches the top of its panel (38 on an axis to 40), the first a quarter.
    expect(at(middle(7), library.top + Math.ceil((library.bottom - library.top) * 2 / 40) + 2)).toEqual([...LIBRARY_COLOUR]);
    expect(at(middle(0), Math.round(library.bottom - (library.bottom - library.top) * 0.4))).toEqual([255, 255, 255]);
    expect(at(middle(0), library.bottom - 5)).toEqual([...LIBRARY_COLOUR]);
    // The legend: a swatch in each channel's colour, and one for the library.
    const swatch = (i: number): number[] => at((layout.legend[i]?.x ?? 0) + 14, (layout.legend[i]?.y ?? 0) + 14);
    expect([swatch(0), swatch(1), swatch(2)]).toEqual([[...(PALETTE[0] ?? [])], [...(PALETTE[1] ?? [])], [...LIBRARY_COLOUR]]);

    // Text was drawn with the shipped font (no system font is loaded): the same picture without its text
    // elements has no dark pixel where the titles, legend labels, values, weeks and axis titles stand.
    const svg = weeklyChartSvg(weeks);
    const bare = pixels(await new ResvgChartRasteriser().png(svg.replace(/<text[^>]*>[^<]*<\/text>/g, "")));
    const label = (i: number): Box => ({ x: (layout.legend[i]?.x ?? 0) + 36, y: layout.legend[i]?.y ?? 0, w: 300, h: 32 });
    const regions: Record<string, Box> = {
      "posts title": { x: 40, y: posts.titleY - 32, w: 600, h: 40 },
      "Physics in the legend": label(0),
      "Staff in the legend": label(1),
      "posts' values": { x: 0, y: posts.top - 20, w: PLOT.left - 4, h: posts.bottom - posts.top + 40 },
      "posts' weeks": { x: PLOT.left, y: posts.bottom + 12, w: PLOT.right - PLOT.left, h: 36 },
      "posts' axis title": { x: PLOT.left, y: posts.bottom + 56, w: PLOT.right - PLOT.left, h: 36 },
      "posts' unit": { x: 0, y: posts.top - 64, w: PLOT.left, h: 30 },
      "library title": { x: 40, y: library.titleY - 32, w: 600, h: 40 },
      "library in the legend": label(2),
      "library's values": { x: 0, y: library.top - 20, w: PLOT.left - 4, h: library.bottom - library.top + 40 },
      "library's weeks": { x: PLOT.left, y: library.bottom + 12, w: PLOT.right - PLOT.left, h: 36 },
    };
    for (const [name, box] of Object.entries(regions)) {
      expect({ name, dark: image.dark(box) > 40 }).toEqual({ name, dark: true });
      expect({ name, dark: bare.dark(box) }).toEqual({ name, dark: 0 });
    }
  });
});

interface Box { x: number; y: number; w: number; h: number }

/** A decoded PNG: its colour at a point, and how many near-black (text) pixels a box holds. */
function pixels(png: Buffer): { width: number; at: (x: number, y: number) => number[]; dark: (box: Box) => number } {
  const image = decode(png);
  const channels = image.channels;
  const at = (x: number, y: number): number[] => [...image.data.subarray((y * image.width + x) * channels, (y * image.width + x) * channels + 3)];
  const dark = (box: Box): number => {
    let n = 0;
    for (let y = box.y; y < box.y + box.h; y++) for (let x = box.x; x < box.x + box.w; x++) if (at(x, y).every((c) => c < 110)) n++;
    return n;
  };
  return { width: image.width, at, dark };
}
