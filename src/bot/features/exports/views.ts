import { relative } from "node:path";
import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import { label, type View } from "../../views/view.js";
import { addPager, pageNote, pageOf } from "../../views/paging.js";
import { messageWithList } from "../../../infra/telegram/limits.js";
import type { ExportService } from "../../../services/export/export-service.js";
import type { ExportJob } from "../../../services/export/ports.js";
import type { CategoryService } from "../../../services/catalog/categories.js";
import { EXPORT_BUTTONS } from "./buttons.js";

const ICON: Record<ExportJob["state"], string> = { queued: "⏳", running: "⚙️", done: "✅", failed: "❌", cancelled: "✖" };

function jobLine(job: ExportJob, exportDir: string): string {
  const what = job.state === "running" ? ` ${Math.round((job.progress ?? 0) * 100)} %`
    : job.state === "done" ? ` ${job.rungs ?? ""} → <code>${escapeHtml(relative(exportDir, job.outputDir ?? exportDir))}</code>`
      : job.state === "failed" ? `: ${escapeHtml(label(job.error ?? "", 300))}` : "";
  return `${ICON[job.state]} ${escapeHtml(label(job.fileName, 200))}${what}`;
}

/** The exports, and a button per category a page at a time. */
export async function exportsView(exports: ExportService, categories: CategoryService, page = 0): Promise<View> {
  const { counts, recent } = await exports.overview(10);
  const shown = pageOf(await categories.list(), page);
  const keyboard = new InlineKeyboard();
  for (const category of shown.items) {
    keyboard.text(label(`📡 Export all of ${category.name}`, 48), EXPORT_BUTTONS.category.pack({ categoryId: category.id })).row();
  }
  addPager(keyboard, shown, (p) => EXPORT_BUTTONS.page.pack({ page: p }));
  keyboard.text("🔄 Refresh", EXPORT_BUTTONS.page.pack({ page: shown.page }));
  const head = [
    "📡 <b>HLS exports</b> for the web player",
    `queued ${counts.queued} · running ${counts.running} · done ${counts.done} · failed ${counts.failed}`,
    `Each video becomes a 360p/720p/1080p ladder (never above its own size) with a master playlist, one folder per video in the export folder (<code>EXPORT_DIR</code>).`,
    "",
  ].join("\n");
  const lines = recent.length === 0 ? ["No exports yet. Use 📡 HLS export on a video's card, or export a whole category below."] : recent.map((job) => jobLine(job, exports.folder));
  const tail = shown.pages > 1 ? `Categories${pageNote(shown)}: ◀ ▶ show the others.` : "";
  return { text: messageWithList(head, lines, tail, { more: (n) => `… and ${n} more ${n === 1 ? "export" : "exports"}` }), keyboard };
}
