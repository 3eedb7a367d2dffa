import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DataSource } from "typeorm";
import { SqliteStatsStore } from "../../src/infra/stores/stats-store.js";
import { barColumns, CHART_HEIGHT, CHART_WIDTH, LIBRARY_COLOUR, PALETTE, PANELS, weeklyChart } from "../../src/services/stats/chart.js";
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
  stats = new StatsService(new SqliteStatsStore(db.dataSource), clock);
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

  test("the chart is a PNG that ffmpeg reads, with each channel's bar in its colour and the library's growth", () => {
    const monday = weekStartOf(NOW);
    const weeks = Array.from({ length: 8 }, (_, i) => ({
      weekStart: monday - (7 - i) * 7 * DAY,
      postsByChannel: new Map(i === 6 ? [["Physics", 4], ["Staff <Team>", 2]] : i === 7 ? [["Physics", 1]] : []),
      videosAdded: i,
      videosTotal: 10 + i * (i + 1) / 2,
    }));
    const png = weeklyChart(weeks);
    const tmp = makeTempDir();
    try {
      const file = join(tmp.dir, "chart.png");
      writeFileSync(file, png);
      const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_streams", "-of", "json", file], { encoding: "utf8" })) as { streams: { codec_name: string; width: number; height: number }[] };
      expect(probe.streams[0]).toMatchObject({ codec_name: "png", width: CHART_WIDTH, height: CHART_HEIGHT });
      const rgb = execFileSync("ffmpeg", ["-v", "error", "-i", file, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], { maxBuffer: 8 << 20 });
      const at = (x: number, y: number): number[] => [...rgb.subarray((y * CHART_WIDTH + x) * 3, (y * CHART_WIDTH + x) * 3 + 3)];
      const columns = barColumns(8);
      const middle = (i: number): number => (columns[i]?.x ?? 0) + Math.floor((columns[i]?.width ?? 0) / 2);
      // Week 7: Physics (first colour) at the bottom of its stack, Staff (second) above; week 1: no posts, white.
      expect(at(middle(6), PANELS.posts.bottom - 5)).toEqual([...(PALETTE[0] ?? [])]);
      expect(at(middle(6), PANELS.posts.top + 5)).toEqual([...(PALETTE[1] ?? [])]);
      expect(at(middle(0), PANELS.posts.bottom - 5)).toEqual([255, 255, 255]);
      // The library's bars grow: the last reaches the top of its panel, the first only a third of the way.
      expect(at(middle(7), PANELS.library.top + 2)).toEqual([...LIBRARY_COLOUR]);
      expect(at(middle(0), PANELS.library.top + 2)).toEqual([255, 255, 255]);
      expect(at(middle(0), PANELS.library.bottom - 5)).toEqual([...LIBRARY_COLOUR]);
    } finally {
      tmp.cleanup();
    }
  });
});
