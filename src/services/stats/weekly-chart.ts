import { formatCount } from "../shared/units.js";
import type { WeekFigures } from "./stats-service.js";
import { fitText, hex, type Rgb, svgRect, svgText } from "./svg.js";

// Sized for a phone: a 1080 px wide picture shown about 400 pt wide keeps 28 px text at a readable 10 pt.
export const CHART_WIDTH = 1080;
export const TEXT_SIZE = 28;
export const TITLE_SIZE = 40;
/** The font the chart names; the rasteriser ships it and loads no system font. */
export const CHART_FONT = "DejaVu Sans";
/** Channel colours in legend order; the library's bars are grey-blue. */
export const PALETTE: readonly Rgb[] = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75], [227, 119, 194], [23, 190, 207]];
export const LIBRARY_COLOUR: Rgb = [96, 125, 139];
/** The channels past the seventh share one grey, so that no two channels share a colour. */
export const OTHERS_COLOUR: Rgb = [176, 176, 176];
export const INK: Rgb = [33, 33, 33];
const MUTED = "#555555";
const GRID = "#dddddd";
/** The plot's left and right edges: tick labels stand left of it. */
export const PLOT = { left: 130, right: CHART_WIDTH - 40 } as const;
const LEGEND = { left: 40, column: 510, row: 46, swatch: 28 } as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface Panel { readonly titleY: number; readonly legendY: number; readonly top: number; readonly bottom: number }
export interface ChartLayout {
  readonly height: number;
  readonly posts: Panel;
  readonly library: Panel;
  /** Top-left corners of the legend's swatches (the label follows each), posts legend first. */
  readonly legend: readonly { x: number; y: number }[];
}

/** Where everything stands, given how many entries the posts legend has (two to a row). */
export function chartLayout(legendEntries: number): ChartLayout {
  const rows = Math.ceil(Math.max(1, legendEntries) / 2);
  const panel = (titleY: number, legendRows: number): Panel => {
    const legendY = titleY + 24;
    const top = legendY + legendRows * LEGEND.row + 70;
    return { titleY, legendY, top, bottom: top + (legendRows > 1 ? 380 : 330) };
  };
  const posts = panel(64, rows);
  const library = panel(posts.bottom + 160, 1);
  const spot = (p: Panel, i: number): { x: number; y: number } => ({ x: LEGEND.left + (i % 2) * LEGEND.column, y: p.legendY + Math.floor(i / 2) * LEGEND.row + 4 });
  const legend = [...Array.from({ length: Math.max(1, legendEntries) }, (_, i) => spot(posts, i)), spot(library, 0)];
  return { height: library.bottom + 112, posts, library, legend };
}

/** Where each week's bar stands. */
export function barColumns(weeks: number): { x: number; width: number }[] {
  const slot = (PLOT.right - PLOT.left) / Math.max(1, weeks);
  return Array.from({ length: weeks }, (_, i) => ({ x: Math.round(PLOT.left + i * slot + slot * 0.15), width: Math.round(slot * 0.7) }));
}

/** A tick step of 1, 2 or 5 times a power of ten giving at most five steps, and the axis top it reaches. */
export function axisScale(max: number): { step: number; top: number } {
  const raw = Math.max(1, max) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  return { step, top: Math.max(step, Math.ceil(Math.max(1, max) / step) * step) };
}

interface Series { readonly name: string; readonly colour: Rgb; readonly count: (week: WeekFigures) => number }

/** One series per channel in name order; past eight channels, the seven with most posts and "N other channels". */
export function channelSeries(weeks: readonly WeekFigures[]): Series[] {
  const totals = new Map<string, number>();
  for (const week of weeks) for (const [channel, n] of week.postsByChannel) totals.set(channel, (totals.get(channel) ?? 0) + n);
  const names = [...totals.keys()].sort();
  const shown = names.length <= PALETTE.length ? names
    : [...names].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b)).slice(0, PALETTE.length - 1).sort();
  const series: Series[] = shown.map((name, i) => ({ name, colour: PALETTE[i] ?? INK, count: (w) => w.postsByChannel.get(name) ?? 0 }));
  const others = names.filter((n) => !shown.includes(n));
  if (others.length > 0) {
    series.push({ name: `${others.length} other channels`, colour: OTHERS_COLOUR, count: (w) => others.reduce((sum, n) => sum + (w.postsByChannel.get(n) ?? 0), 0) });
  }
  return series;
}

const weekLabel = (at: number): string => `${new Date(at).getUTCDate()} ${MONTHS[new Date(at).getUTCMonth()] ?? ""}`;
const ink = hex(INK);
const body = { size: TEXT_SIZE, fill: ink } as const;

// The shipped font has no emoji (they are past U+1F000, with their joiners and modifiers): left in, each would
// be drawn as an empty box. A name that is nothing but emoji keeps them, boxes and all, rather than vanish.
const EMOJI = /[\u{1F000}-\u{1FAFF}\u{E0020}-\u{E007F}]|\u200D|\uFE0F|\u20E3/gu;
export const chartName = (name: string): string => name.replace(EMOJI, "").replace(/\s+/g, " ").trim() || name;

function legendEntry(at: { x: number; y: number }, colour: Rgb, label: string): string[] {
  const labelX = at.x + LEGEND.swatch + 12;
  return [svgRect(at.x, at.y, LEGEND.swatch, LEGEND.swatch, hex(colour)), svgText(labelX, at.y + 24, fitText(label, LEGEND.column - LEGEND.swatch - 32, TEXT_SIZE), body)];
}

/** Grid lines with their values, the unit over them, and the weeks under the plot. */
function axes(panel: Panel, max: number, unit: string, weeks: readonly WeekFigures[]): { parts: string[]; y: (value: number) => number } {
  const { step, top } = axisScale(max);
  const y = (value: number): number => Math.round(panel.bottom - ((panel.bottom - panel.top) * value) / top);
  const parts = [svgText(PLOT.left - 12, panel.top - 40, unit, { ...body, anchor: "end", fill: MUTED })];
  for (let value = 0; value <= top; value += step) {
    parts.push(svgRect(PLOT.left, y(value), PLOT.right - PLOT.left, value === 0 ? 2 : 1, value === 0 ? ink : GRID));
    parts.push(svgText(PLOT.left - 12, y(value) + 10, formatCount(value), { ...body, anchor: "end" }));
  }
  const columns = barColumns(weeks.length);
  const every = Math.ceil(110 / ((PLOT.right - PLOT.left) / Math.max(1, weeks.length)));
  weeks.forEach((week, i) => {
    const col = columns[i];
    if (col !== undefined && i % every === 0) parts.push(svgText(col.x + col.width / 2, panel.bottom + 40, weekLabel(week.weekStart), { ...body, anchor: "middle" }));
  });
  parts.push(svgText((PLOT.left + PLOT.right) / 2, panel.bottom + 84, "week starting (Monday, UTC)", { ...body, anchor: "middle", fill: MUTED }));
  return { parts, y };
}

function postsPanel(panel: Panel, weeks: readonly WeekFigures[], series: readonly Series[], legend: ChartLayout["legend"]): string[] {
  const parts = [svgText(LEGEND.left, panel.titleY, "Posts per channel per week", { size: TITLE_SIZE, bold: true, fill: ink })];
  if (series.length === 0) parts.push(svgText(LEGEND.left, panel.legendY + 28, "No posts in these weeks", { ...body, fill: MUTED }));
  series.forEach((s, i) => parts.push(...legendEntry(legend[i] ?? { x: 0, y: 0 }, s.colour, chartName(s.name))));
  const totals = weeks.map((w) => series.reduce((sum, s) => sum + s.count(w), 0));
  const axis = axes(panel, Math.max(...totals, 1), "posts", weeks);
  parts.push(...axis.parts);
  barColumns(weeks.length).forEach((col, i) => {
    const week = weeks[i];
    if (week === undefined) return;
    let below = 0;
    for (const s of series) {
      const n = s.count(week);
      if (n > 0) parts.push(svgRect(col.x, axis.y(below + n), col.width, axis.y(below) - axis.y(below + n), hex(s.colour)));
      below += n;
    }
    if (below > 0) parts.push(svgText(col.x + col.width / 2, axis.y(below) - 10, formatCount(below), { ...body, anchor: "middle" }));
  });
  return parts;
}

function libraryPanel(panel: Panel, weeks: readonly WeekFigures[], swatch: { x: number; y: number }): string[] {
  const parts = [svgText(LEGEND.left, panel.titleY, "Library size at each week's end", { size: TITLE_SIZE, bold: true, fill: ink })];
  parts.push(...legendEntry(swatch, LIBRARY_COLOUR, "videos in the library"));
  parts.push(svgText(swatch.x + LEGEND.column, swatch.y + 24, "+N: videos added that week", body));
  const axis = axes(panel, Math.max(...weeks.map((w) => w.videosTotal), 1), "videos", weeks);
  parts.push(...axis.parts);
  barColumns(weeks.length).forEach((col, i) => {
    const week = weeks[i];
    if (week === undefined) return;
    parts.push(svgRect(col.x, axis.y(week.videosTotal), col.width, axis.y(0) - axis.y(week.videosTotal), hex(LIBRARY_COLOUR)));
    parts.push(svgText(col.x + col.width / 2, axis.y(week.videosTotal) - 10, `+${formatCount(week.videosAdded)}`, { ...body, anchor: "middle" }));
  });
  return parts;
}

/**
 * The weekly figures as an SVG picture: posts per channel per week as stacked bars (one colour per channel,
 * with a legend), and the library's size at the end of each week with the number added.
 */
export function weeklyChartSvg(weeks: readonly WeekFigures[]): string {
  const series = channelSeries(weeks);
  const layout = chartLayout(series.length);
  const width = CHART_WIDTH, height = layout.height;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT}">`,
    svgRect(0, 0, width, height, "#ffffff"),
    ...postsPanel(layout.posts, weeks, series, layout.legend),
    ...libraryPanel(layout.library, weeks, layout.legend.at(-1) ?? { x: 0, y: 0 }),
    "</svg>",
  ].join("\n");
}
