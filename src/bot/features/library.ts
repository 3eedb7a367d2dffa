import { Composer } from "grammy";
import { actorOf } from "../views/respond.js";
import { progressText, summaryText } from "../../services/library/scan-summary.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { LiveMessage } from "../../infra/telegram/live-message.js";

export const libraryFeature = new Composer<BotContext>();

libraryFeature.command("scan", async (ctx) => {
  const { library } = ctx.deps.services;
  const { logger } = ctx.deps;
  if (library.roots.length === 0) {
    await ctx.reply("No library folders are configured. Set LIBRARY_ROOTS (see the README) and restart vidlib.");
    return;
  }
  const live = new LiveMessage(ctx.api, ctx.chat.id, logger);
  const start = library.startScan(actorOf(ctx), (p) => live.update(escapeHtml(progressText(p))));
  if (!start.started) {
    await ctx.reply(`A scan is already running.\n\n${escapeHtml(progressText(start.progress))}`, { parse_mode: "HTML" });
    return;
  }
  // The scan outlives this update: the chat must not wait for it (updates are sequential per chat).
  const first = escapeHtml("🔎 Scanning the library…");
  const sent = await ctx.reply(first, { parse_mode: "HTML" });
  live.attach(sent.message_id, first);
  start.report.then(
    (report) => live.finish(summaryText(report, escapeHtml)),
    (err: unknown) => {
      const stopped = (err as Error).name === "AbortError";
      if (!stopped) logger.error({ err, chatId: ctx.chat.id }, "scan failed");
      return live.finish(stopped ? "⏹ The scan was stopped before it finished (vidlib is shutting down). Nothing was changed."
        : "❌ The scan failed; the details are in vidlib's log. Nothing was changed.");
    },
  ).catch((err: unknown) => logger.error({ err }, "could not report the end of a scan"));
});

libraryFeature.command("status", async (ctx) => {
  await ctx.reply(await ctx.deps.services.library.status(escapeHtml), { parse_mode: "HTML" });
});
