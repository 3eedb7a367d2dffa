import { Composer, InlineKeyboard } from "grammy";
import { actorOf, EXPIRED, pressed, send, showInPlace } from "../views/respond.js";
import { progressText, summaryText } from "../../services/library/scan-summary.js";
import type { ScanReport } from "../../services/library/scan-report.js";
import type { ProblemPage } from "../../services/library/problem-list.js";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { LiveMessage } from "../../infra/telegram/live-message.js";

export const libraryFeature = new Composer<BotContext>();

const LIB = "lib";

/** The button that opens the list of unreadable and missing files in a new message. */
const problemsButton = (): InlineKeyboard => new InlineKeyboard().text("📋 Unreadable and missing files", encodeCallback(LIB, "l", 0));

function pageKeyboard(view: ProblemPage): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (view.page > 0) keyboard.text("◀ Previous", encodeCallback(LIB, "p", view.page - 1));
  if (view.page + 1 < view.pages) keyboard.text("Next ▶", encodeCallback(LIB, "p", view.page + 1));
  return keyboard;
}

function hasProblems(report: ScanReport): boolean {
  return (report.library?.unreadable ?? report.unreadable) + (report.library?.missing ?? report.missing) > 0;
}

libraryFeature.command("scan", async (ctx) => {
  const { library } = ctx.deps.services;
  const { logger } = ctx.deps;
  if (library.roots.length === 0) {
    await ctx.reply("No library folders are configured. Set LIBRARY_ROOTS (see the README) and restart vidlib.");
    return;
  }
  const live = new LiveMessage(ctx.api, ctx.chat.id, logger);
  // A scan someone or something else started is followed here just the same, to its summary.
  let frame = (progress: string): string => progress;
  const scan = library.startScan(actorOf(ctx), (p) => live.update(frame(escapeHtml(progressText(p)))), `by ${ctx.from?.first_name ?? "someone"}`);
  const origin = escapeHtml(scan.origin);
  if (!scan.started) frame = (progress) => `A scan is already running.\n\n${progress}\n\n<i>Started ${origin}; this message follows it to the end.</i>`;
  // The scan outlives this update: the chat must not wait for it (updates are sequential per chat).
  const first = frame(escapeHtml(progressText(scan.progress)));
  const sent = await ctx.reply(first, { parse_mode: "HTML" });
  live.attach(sent.message_id, first);
  scan.report.then(
    (report) => live.finish(summaryText(report, escapeHtml, library.paths, 3900) + (scan.started ? "" : `\n\n<i>Started ${origin}.</i>`),
      hasProblems(report) ? problemsButton() : undefined),
    (err: unknown) => {
      const stopped = (err as Error).name === "AbortError";
      if (!stopped) logger.error({ err, chatId: ctx.chat.id }, "scan failed");
      return live.finish(stopped ? "⏹ The scan was stopped before it finished (vidlib is shutting down). Nothing was changed."
        : "❌ The scan failed; the details are in vidlib's log. Nothing was changed.");
    },
  ).catch((err: unknown) => logger.error({ err }, "could not report the end of a scan"));
});

libraryFeature.command("status", async (ctx) => {
  const status = await ctx.deps.services.library.statusReport(escapeHtml);
  await ctx.reply(status.text, { parse_mode: "HTML", ...(status.problems > 0 ? { reply_markup: problemsButton() } : {}) });
});

libraryFeature.callbackQuery(/^lib:/, async (ctx) => {
  const button = pressed(ctx, LIB);
  const page = button?.ids[0];
  if (button === null || page === undefined || (button.data.verb !== "l" && button.data.verb !== "p")) {
    await ctx.answerCallbackQuery({ text: EXPIRED });
    return;
  }
  await ctx.answerCallbackQuery();
  const view = await ctx.deps.services.library.problemPage(actorOf(ctx), page, escapeHtml);
  const shown = { text: view.text, keyboard: pageKeyboard(view) };
  // From /status or a scan summary the list opens below it; its own buttons turn its pages in place.
  if (button.data.verb === "l") await send(ctx, shown);
  else await showInPlace(ctx, shown);
});
