import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import type { JobSummary } from "../../services/conversion/job.js";
import { progressText } from "../views/video-card.js";
import { EXPIRED, pressed, send, showInPlace, actorOf } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import { messageWithList } from "../../infra/telegram/limits.js";

export const CONVERT = "cv";
const SHOWN = 10;

export const conversionsFeature = new Composer<BotContext>();

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
async function queueView(ctx: BotContext): Promise<View> {
  const { conversions, settings } = ctx.deps.services;
  const { counts, jobs } = await conversions.overview(SHOWN);
  const s = settings.current;
  const keyboard = new InlineKeyboard();
  jobs.forEach((job, i) => {
    if (job.state === "queued" || job.state === "running") keyboard.text(label(`✖ ${i + 1}. ${job.fileName}`, 40), encodeCallback(CONVERT, "x", job.id)).row();
  });
  if (counts.failed > 0) keyboard.text(`🔁 Retry all failed (${counts.failed})`, encodeCallback(CONVERT, "r")).row();
  keyboard.text("↻ Refresh", encodeCallback(CONVERT, "f"));
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

conversionsFeature.command("convert", async (ctx) => {
  await send(ctx, await queueView(ctx));
});

conversionsFeature.callbackQuery(/^cv:/, async (ctx) => {
  const button = pressed(ctx, CONVERT);
  const actor = actorOf(ctx);
  const { conversions } = ctx.deps.services;
  switch (button?.data.verb) {
    case "x": {
      const result = await conversions.cancel(button.ids[0] ?? 0, actor);
      await ctx.answerCallbackQuery({ text: { cancelled: "Cancelled", stopping: "Stopping it…", finished: "It already finished", missing: EXPIRED }[result] });
      break;
    }
    case "r": {
      const n = await conversions.retryFailed(actor);
      await ctx.answerCallbackQuery({ text: n === 0 ? "Nothing to retry" : `${n} queued again` });
      break;
    }
    case "f":
      await ctx.answerCallbackQuery();
      break;
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
      return;
  }
  await showInPlace(ctx, await queueView(ctx));
});
