import { drawText, textWidth } from "./font.js";
import { encodePng, Raster } from "./png.js";
import type { WeekFigures } from "./stats-service.js";

type Rgb = readonly [number, number, number];

export const CHART_WIDTH = 880;
export const CHART_HEIGHT = 560;
/** Channel colours in legend order; the library's bars are grey-blue. */
export const PALETTE: readonly Rgb[] = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75], [227, 119, 194], [23, 190, 207]];
export const LIBRARY_COLOUR: Rgb = [96, 125, 139];
const INK: Rgb = [33, 33, 33];
const GRID: Rgb = [224, 224, 224];
const LEFT = 60;
const RIGHT = CHART_WIDTH - 20;

/** Where each week's bar stands, for drawing and for tests. */
export function barColumns(weeks: number): { x: number; width: number }[] {
  const slot = (RIGHT - LEFT) / Math.max(1, weeks);
  return Array.from({ length: weeks }, (_, i) => ({ x: Math.round(LEFT + i * slot + slot * 0.15), width: Math.round(slot * 0.7) }));
}

/** The two panels' plot areas (top and bottom y), for tests. */
export const PANELS = { posts: { top: 70, bottom: 270 }, library: { top: 350, bottom: 510 } } as const;

const weekLabel = (at: number): string => new Date(at).toISOString().slice(5, 10);

function axis(raster: Raster, panel: { top: number; bottom: number }, max: number): void {
  for (const f of [0, 0.5, 1]) {
    const y = panel.bottom - (panel.bottom - panel.top) * f;
    raster.fill(LEFT, y, RIGHT - LEFT, 1, f === 0 ? INK : GRID);
    const value = String(Math.round(max * f));
    drawText(raster, value, LEFT - 8 - textWidth(value, 2), y - 7, 2, INK);
  }
}

/**
 * The weekly figures as a PNG: posts per channel per week as stacked bars (one colour per channel, with a
 * legend), and the library's size at the end of each week with the number added.
 */
export function weeklyChart(weeks: readonly WeekFigures[]): Buffer {
  const raster = new Raster(CHART_WIDTH, CHART_HEIGHT);
  const channels = [...new Set(weeks.flatMap((w) => [...w.postsByChannel.keys()]))].sort();
  const colourOf = (channel: string): Rgb => PALETTE[channels.indexOf(channel) % PALETTE.length] ?? INK;
  const columns = barColumns(weeks.length);
  const { posts, library } = PANELS;

  drawText(raster, "POSTS PER CHANNEL PER WEEK", LEFT, 14, 2, INK);
  let legendX = LEFT;
  for (const channel of channels.slice(0, 8)) {
    const name = channel.length > 16 ? `${channel.slice(0, 15)}.` : channel;
    raster.fill(legendX, 40, 12, 12, colourOf(channel));
    drawText(raster, name, legendX + 16, 41, 1, INK);
    legendX += 16 + textWidth(name, 1) + 18;
  }
  const maxPosts = Math.max(1, ...weeks.map((w) => [...w.postsByChannel.values()].reduce((a, b) => a + b, 0)));
  axis(raster, posts, maxPosts);
  weeks.forEach((week, i) => {
    const col = columns[i] ?? { x: 0, width: 0 };
    let y = posts.bottom;
    let total = 0;
    for (const channel of channels) {
      const n = week.postsByChannel.get(channel) ?? 0;
      const h = ((posts.bottom - posts.top) * n) / maxPosts;
      raster.fill(col.x, y - h, col.width, h, colourOf(channel));
      y -= h;
      total += n;
    }
    if (total > 0) drawText(raster, String(total), col.x + (col.width - textWidth(String(total), 2)) / 2, y - 18, 2, INK);
    drawText(raster, weekLabel(week.weekStart), col.x + (col.width - textWidth("00-00", 1)) / 2, posts.bottom + 8, 1, INK);
  });

  drawText(raster, "LIBRARY: VIDEOS AT WEEK END (+ ADDED)", LEFT, 310, 2, INK);
  const maxVideos = Math.max(1, ...weeks.map((w) => w.videosTotal));
  axis(raster, library, maxVideos);
  weeks.forEach((week, i) => {
    const col = columns[i] ?? { x: 0, width: 0 };
    const h = ((library.bottom - library.top) * week.videosTotal) / maxVideos;
    raster.fill(col.x, library.bottom - h, col.width, h, LIBRARY_COLOUR);
    const text = `+${week.videosAdded}`;
    drawText(raster, text, col.x + (col.width - textWidth(text, 1)) / 2, library.bottom - h - 10, 1, INK);
    drawText(raster, weekLabel(week.weekStart), col.x + (col.width - textWidth("00-00", 1)) / 2, library.bottom + 8, 1, INK);
  });
  return encodePng(raster);
}
