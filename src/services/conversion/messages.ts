import { escapeHtml } from "../telegram-html.js";
import { formatDuration } from "../units.js";
import type { JobMode } from "./job.js";

const MODE_TEXT: Record<JobMode, string> = {
  remux: "stream copy, no video re-encode", transcode: "re-encoded to H.264/AAC", compress: "compressed to fit the upload limit", none: "nothing to do",
};

/** The admins' notice that a conversion finished. */
export function conversionDoneText(outcome: { mode: JobMode; outputPath: string | null; note: string | null; source: { fileName: string; durationS: number | null } }, elapsedMs: number): string {
  const output = outcome.outputPath === null ? "" : outcome.outputPath.split(/[\\/]/).at(-1) ?? "";
  const speed = outcome.source.durationS !== null && elapsedMs > 0 ? ` (${(outcome.source.durationS / (elapsedMs / 1000)).toFixed(1)}× realtime)` : "";
  return [
    `✅ <b>Converted</b> ${escapeHtml(outcome.source.fileName)} → ${escapeHtml(output)}`,
    `${MODE_TEXT[outcome.mode]} · took ${formatDuration(elapsedMs / 1000)}${speed}`,
    ...(outcome.note === null ? [] : [escapeHtml(outcome.note)]),
  ].join("\n");
}

/** The admins' notice that a conversion failed, with ffmpeg's last lines. */
export function conversionFailedText(fileName: string, reason: string, tail: readonly string[]): string {
  const lines = tail.slice(-5).map((l) => (l.length > 300 ? `${l.slice(0, 299)}…` : l));
  return [
    `❌ <b>Conversion failed</b>: ${escapeHtml(fileName)}`,
    escapeHtml(reason),
    ...(lines.length === 0 ? [] : [`<pre>${escapeHtml(lines.join("\n"))}</pre>`]),
    "Fix the file and use /convert → Retry failed, or leave it.",
  ].join("\n");
}
