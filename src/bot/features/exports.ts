import { relative } from "node:path";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { actorOf, EXPIRED, pressed, send, showInPlace } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import { addPager, pageContaining, pageNote, pageOf } from "../views/paging.js";
import { messageWithList } from "../../infra/telegram/limits.js";
import { EXPORTS } from "../views/video-card.js";
import type { ExportRequest } from "../../services/export/export-service.js";
import type { ExportJob } from "../../services/export/ports.js";

export const exportsFeature = new Composer<BotContext>();

const ICON: Record<ExportJob["state"], string> = { queued: "⏳", running: "⚙️", done: "✅", failed: "❌", cancelled: "✖" };

function jobLine(job: ExportJob, exportDir: string): string {
  const what = job.state === "running" ? ` ${Math.round((job.progress ?? 0) * 100)} %`
    : job.state === "done" ? ` ${job.rungs ?? ""} → <code>${escapeHtml(relative(exportDir, job.outputDir ?? exportDir))}</code>`
      : job.state === "failed" ? `: ${escapeHtml(label(job.error ?? "", 300))}` : "";
  return `${ICON[job.state]} ${escapeHtml(label(job.fileName, 200))}${what}`;
}

/** The exports, and a button per category a page at a time (`hx:l:<page>`). */
async function exportsView(ctx: BotContext, page = 0): Promise<View> {
  const { counts, recent } = await ctx.deps.services.exports.overview(10);
  const categories = pageOf(await ctx.deps.services.categories.list(), page);
  const keyboard = new InlineKeyboard();
  for (const category of categories.items) {
    keyboard.text(label(`📡 Export all of ${category.name}`, 48), encodeCallback(EXPORTS, "c", category.id)).row();
  }
  addPager(keyboard, categories, (p) => encodeCallback(EXPORTS, "l", p));
  keyboard.text("🔄 Refresh", encodeCallback(EXPORTS, "l", categories.page));
  const head = [
    "📡 <b>HLS exports</b> for the web player",
    `queued ${counts.queued} · running ${counts.running} · done ${counts.done} · failed ${counts.failed}`,
    `Each video becomes a 360p/720p/1080p ladder (never above its own size) with a master playlist, one folder per video in the export folder (<code>EXPORT_DIR</code>).`,
    "",
  ].join("\n");
  const lines = recent.length === 0 ? ["No exports yet. Use 📡 HLS export on a video's card, or export a whole category below."] : recent.map((job) => jobLine(job, ctx.deps.config.folders.exports));
  const tail = categories.pages > 1 ? `Categories${pageNote(categories)}: ◀ ▶ show the others.` : "";
  return { text: messageWithList(head, lines, tail, { more: (n) => `… and ${n} more ${n === 1 ? "export" : "exports"}` }), keyboard };
}

const requestAnswer = (r: ExportRequest): string =>
  r.queued.length > 0 ? `Queued ${r.queued.length} for HLS export${r.skipped.length > 0 ? ` (${r.skipped.length} skipped)` : ""}`
    : r.skipped.length > 0 ? `Not exported: ${r.skipped[0]?.why ?? ""}` : "Nothing to export in this category";

exportsFeature.command("exports", async (ctx) => {
  await send(ctx, await exportsView(ctx));
});

exportsFeature.callbackQuery(/^hx:/, async (ctx) => {
  const button = pressed(ctx, EXPORTS);
  const [id] = button?.ids ?? [];
  const { exports } = ctx.deps.services;
  switch (button?.data.verb) {
    case "l":
      await ctx.answerCallbackQuery();
      return showInPlace(ctx, await exportsView(ctx, id ?? 0));
    case "v":
      if (id === undefined) break;
      return void (await ctx.answerCallbackQuery({ text: requestAnswer(await exports.request(actorOf(ctx), [id], "video")) }));
    case "c":
      if (id === undefined) break;
      await ctx.answerCallbackQuery({ text: requestAnswer(await exports.requestCategory(actorOf(ctx), id)) });
      return showInPlace(ctx, await exportsView(ctx, pageContaining((await ctx.deps.services.categories.list()).findIndex((c) => c.id === id))));
    default:
      break;
  }
  await ctx.answerCallbackQuery({ text: EXPIRED });
});
