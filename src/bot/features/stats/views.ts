import { escapeHtml } from "../../format.js";
import { label } from "../../views/view.js";
import type { StatsReport } from "../../../services/stats/stats-service.js";
import { formatCount } from "../../../services/shared/units.js";

const week = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** /stats as text: searches, words, misses, choices, and the weekly figures. */
export function statsText(report: StatsReport): string {
  const list = <T>(items: readonly T[], line: (item: T, i: number) => string, none: string): string[] => (items.length === 0 ? [`<i>${none}</i>`] : items.map(line));
  // At most five channels by name keep the message well under Telegram's 4096 characters; the chart has them all.
  const channels = [...new Set(report.weeks.flatMap((w) => [...w.postsByChannel.keys()]))].sort().slice(0, 5);
  const last = report.weeks.at(-1);
  return [
    `📊 <b>Statistics</b> — ${formatCount(report.searches)} searches in the last 30 days`,
    "", "<b>Most searched words</b>",
    ...list(report.topWords, (w, i) => `${i + 1}. ${escapeHtml(w.word)} — ${formatCount(w.count)}`, "no searches yet"),
    "", "<b>Searches with no result</b> (tag videos with these words, or add abbreviations)",
    ...list(report.noResults, (q) => `• “${escapeHtml(label(q.query, 60))}” — ${formatCount(q.count)}×`, "none: every search found something"),
    "", "<b>Most chosen videos</b>",
    ...list(report.topChosen, (v, i) => `${i + 1}. ${escapeHtml(label(v.fileName, 60))} — ${formatCount(v.count)}`, "no result was opened yet"),
    "", "<b>Posts per channel per week</b> (week starting)",
    ...list(report.weeks, (w) => `${week(w.weekStart)}: ${channels.length === 0 ? "0" : channels.map((c) => `${escapeHtml(label(c, 16))} ${w.postsByChannel.get(c) ?? 0}`).join(", ")}`, ""),
    "", `<b>Library growth</b>: ${formatCount(last?.videosTotal ?? 0)} videos now`,
    ...report.weeks.map((w) => `${week(w.weekStart)}: +${formatCount(w.videosAdded)} → ${formatCount(w.videosTotal)}`),
  ].join("\n");
}
