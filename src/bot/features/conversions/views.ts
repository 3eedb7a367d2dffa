import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import type { ConversionService } from "../../../services/conversion/conversion-service.js";
import type { JobSummary } from "../../../services/conversion/job.js";
import type { SettingsService } from "../../../services/settings/settings.js";
import { progressText } from "../../views/video-card.js";
import { label, type View } from "../../views/view.js";
import { messageWithList } from "../../../infra/telegram/limits.js";
import { CONVERSION_BUTTONS } from "./buttons.js";

const SHOWN = 10;

function jobLine(job: JobSummary, n: number): string {
  const name = `<b>${escapeHtml(label(job.fileName, 200))}</b>`;
  switch (job.state) {
    case "running": return `${n}. 🔄 ${name} — ${progressText(job)}`;
    case "queued": return `${n}. ⏳ ${name}${job.reason === null ? "" : ` — ${escapeHtml(label(job.reason, 300))}`}`;
    case "failed": return `${n}. ❌ ${name} — ${escapeHtml(label(job.reason ?? "failed", 300))}`;
    case "done":
    case "cancelled": return `${n}. ${name} — ${job.state}`;
  }
}

/** The conversion queue: counts, the running and next jobs, the latest failures, and their buttons. */
export async function conversionQueueView(conversions: ConversionService, settings: SettingsService): Promise<View> {
  const { counts, jobs } = await conversions.overview(SHOWN);
  const s = settings.current;
  const keyboard = new InlineKeyboard();
  jobs.forEach((job, i) => {
    if (job.state === "queued" || job.state === "running") keyboard.text(label(`✖ ${i + 1}. ${job.fileName}`, 40), CONVERSION_BUTTONS.cancel.pack({ jobId: job.id })).row();
  });
  if (counts.failed > 0) keyboard.text(`🔁 Retry all failed (${counts.failed})`, CONVERSION_BUTTONS.retryFailed.pack({})).row();
  keyboard.text("↻ Refresh", CONVERSION_BUTTONS.refresh.pack({}));
  const head = [
    "🔄 <b>Conversions</b>",
    `Running ${counts.running} · waiting ${counts.queued} · failed ${counts.failed} · done ${counts.done} (finished: last 24 h)`,
    `${s.convertConcurrency} at a time · preset ${s.convertPreset} · new non-MP4 files converted automatically: ${s.autoConvertSince === null ? "no" : "yes"} (/settings)`,
    "",
  ].join("\n");
  const lines = jobs.length === 0 ? ["Nothing is waiting. Convert from a video's card, or “Convert all” under search results."] : jobs.map((j, i) => jobLine(j, i + 1));
  const text = messageWithList(head, lines, "", { more: (n) => `… and ${n} more ${n === 1 ? "job" : "jobs"}` });
  return { text, keyboard };
}
