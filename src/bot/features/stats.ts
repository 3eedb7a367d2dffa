import { Composer, InputFile } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { actorOf } from "../views/respond.js";
import { label } from "../views/view.js";
import type { StatsReport } from "../../services/stats/stats-service.js";
import { formatCount } from "../../services/units.js";

export const statsFeature = new Composer<BotContext>();

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

statsFeature.command("stats", async (ctx) => {
  const report = await ctx.deps.services.stats.report(actorOf(ctx));
  await ctx.reply(statsText(report), { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  const chart = await ctx.deps.services.stats.weeklyChart(report.weeks);
  await ctx.replyWithPhoto(new InputFile(chart, "vidlib-weekly.png"), { caption: "Weekly figures: posts per channel, and the library's size (last 8 weeks)." });
});
