import { describe, expect, test } from "vitest";
import { escapeXml, fitText, textWidth } from "../../src/services/stats/svg.js";
import { axisScale, channelSeries, chartName, OTHERS_COLOUR, PALETTE, TEXT_SIZE, weeklyChartSvg } from "../../src/services/stats/weekly-chart.js";

const DAY = 86_400_000;
const MONDAY = Date.UTC(2026, 10, 16);
const weeksWith = (channels: readonly (readonly [string, number])[]): { weekStart: number; postsByChannel: Map<string, number>; videosAdded: number; videosTotal: number }[] =>
  Array.from({ length: 8 }, (_, i) => ({
    weekStart: MONDAY - (7 - i) * 7 * DAY,
    postsByChannel: new Map(i === 7 ? channels.map(([c, n]) => [c, n] as [string, number]) : []),
    videosAdded: i,
    videosTotal: 100 + i,
  }));
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");

describe("SVG text", () => {
  test("escapes markup, drops what XML forbids, and keeps one line", () => {
    expect(escapeXml(`Staff <Team> & "Co" 'x'`)).toBe("Staff &lt;Team&gt; &amp; &quot;Co&quot; &apos;x&apos;");
    expect(escapeXml("a\u0000b\u001Fc\uFFFE")).toBe("abc");
    expect(escapeXml("half \uD83C of an emoji, \uDF93 the other half; 🎓 whole")).toBe("half of an emoji, the other half; 🎓 whole");
    expect(escapeXml("two\nlines\tand a tab")).toBe("two lines and a tab");
  });

  test("a long name is cut at whole characters (emoji sequences included) to fit its width", () => {
    const family = "👩‍👩‍👧";
    const cut = fitText(`Chemistry ${family.repeat(20)}`, 300, TEXT_SIZE);
    expect(cut.endsWith("…")).toBe(true);
    expect(textWidth(cut, TEXT_SIZE)).toBeLessThanOrEqual(300);
    expect(cut.slice(0, -1).replace("Chemistry", "").trim().split(family).every((rest) => rest === "")).toBe(true);
    expect(fitText("Physics", 300, TEXT_SIZE)).toBe("Physics");
  });

  test("chart names lose the emoji the shipped font cannot draw, but not the signs it can", () => {
    expect(chartName("🎓 Physics 👩‍👩‍👧 batch")).toBe("Physics batch");
    expect(chartName("Staff © ™ ✓")).toBe("Staff © ™ ✓");
    expect(chartName("🎓🎓")).toBe("🎓🎓");
  });
});

describe("the weekly chart's SVG", () => {
  test("has a title per panel, a legend, units on both axes and week labels, all at phone-readable sizes", () => {
    const svg = weeklyChartSvg(weeksWith([["Physics", 4], ["Staff <Team> & 🎓", 2]]));
    const all = texts(svg);
    expect(all).toEqual(expect.arrayContaining(["Posts per channel per week", "Library size at each week&apos;s end", "Physics", "Staff &lt;Team&gt; &amp;",
      "videos in the library", "posts", "videos", "week starting (Monday, UTC)", "16 Nov", "28 Sep", "6", "+7"]));
    expect(svg).not.toContain("<Team>");
    expect(svg.match(/<text/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
    expect(svg.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toContain("&");
    const sizes = [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBe(all.length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(28);
    expect(svg).toMatch(/^<svg [^>]*width="1080"/);
  });

  test("with no posts, the legend says so", () => {
    expect(texts(weeklyChartSvg(weeksWith([])))).toContain("No posts in these weeks");
  });

  test("past eight channels, the seven with most posts keep their colours and the rest share one, with the same totals", () => {
    const channels = Array.from({ length: 10 }, (_, i) => [`Channel ${String.fromCharCode(65 + i)}`, i + 1] as const);
    const weeks = weeksWith(channels);
    const series = channelSeries(weeks);
    expect(series.map((s) => s.name)).toEqual(["Channel D", "Channel E", "Channel F", "Channel G", "Channel H", "Channel I", "Channel J", "3 other channels"]);
    expect(series.map((s) => s.colour)).toEqual([...PALETTE.slice(0, 7), OTHERS_COLOUR]);
    const last = weeks[7]!;
    expect(series.map((s) => s.count(last))).toEqual([4, 5, 6, 7, 8, 9, 10, 1 + 2 + 3]);
    expect(channelSeries(weeksWith(channels.slice(0, 8))).map((s) => s.name)).toEqual(channels.slice(0, 8).map(([c]) => c));
  });

  test("axes step by 1, 2 or 5 times a power of ten, at most five steps, and reach the highest value", () => {
    expect(axisScale(0)).toEqual({ step: 1, top: 1 });
    expect(axisScale(1)).toEqual({ step: 1, top: 1 });
    expect(axisScale(6)).toEqual({ step: 2, top: 6 });
    expect(axisScale(38)).toEqual({ step: 10, top: 40 });
    expect(axisScale(2345)).toEqual({ step: 500, top: 2500 });
  });
});
