import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { escapeHtml } from "../../format.js";
import { actorOf, send, showInPlace } from "../../views/respond.js";
import { progressText, summaryText } from "../../../services/library/scan-summary.js";
import type { ScanReport } from "../../../services/library/scan-report.js";
import type { ProblemPage } from "../../../services/library/problem-list.js";
import type { LibraryService } from "../../../services/library/library-service.js";
import type { Logger } from "../../../infra/logging/logger.js";
import { LiveMessage } from "../../../infra/telegram/live-message.js";
import { LIBRARY_BUTTONS } from "./buttons.js";

/** The button that opens the list of unreadable and missing files in a new message. */
const problemsButton = (): InlineKeyboard => new InlineKeyboard().text("📋 Unreadable and missing files", LIBRARY_BUTTONS.open.pack({ page: 0 }));

function pageKeyboard(view: ProblemPage): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (view.page > 0) keyboard.text("◀ Previous", LIBRARY_BUTTONS.page.pack({ page: view.page - 1 }));
  if (view.page + 1 < view.pages) keyboard.text("Next ▶", LIBRARY_BUTTONS.page.pack({ page: view.page + 1 }));
  return keyboard;
}

function hasProblems(report: ScanReport): boolean {
  return (report.library?.unreadable ?? report.unreadable) + (report.library?.missing ?? report.missing) > 0;
}

/** /scan: starts a scan (or follows the one running) on a live message, to its summary. */
async function scan(ctx: BotContext & { chat: { id: number } }, library: LibraryService, logger: Logger): Promise<void> {
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
  const sent = await ctx.reply(first);
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
}

/** /status and /scan: the library's totals, a scan on demand, and the files it could not read or find. */
export const libraryFeature = defineFeature({
  name: "library",
  uses: ["library", "logger"],
  commands: { status: "browse", scan: "scan" },
  buttons: Object.values(LIBRARY_BUTTONS),
  prompts: [],
  create({ library, logger }) {
    const composer = new Composer<BotContext>();
    const problems = async (ctx: BotContext, page: number) => {
      await ctx.answerCallbackQuery();
      const view = await library.problemPage(actorOf(ctx), page, escapeHtml);
      return { text: view.text, keyboard: pageKeyboard(view) };
    };

    composer.command("scan", (ctx) => scan(ctx, library, logger));
    composer.command("status", async (ctx) => {
      const status = await library.statusReport(escapeHtml);
      await ctx.reply(status.text, { ...(status.problems > 0 ? { reply_markup: problemsButton() } : {}) });
    });
    // From /status or a scan summary the list opens below it; its own buttons turn its pages in place.
    onButton(composer, LIBRARY_BUTTONS.open, async (ctx, { page }) => {
      await send(ctx, await problems(ctx, page));
    });
    onButton(composer, LIBRARY_BUTTONS.page, async (ctx, { page }) => {
      await showInPlace(ctx, await problems(ctx, page));
    });
    return composer;
  },
});
