import { escapeHtml } from "../format.js";
import { label } from "./view.js";
import { formatDuration } from "../../services/shared/units.js";
import type { JobMode } from "../../services/conversion/job.js";
import type { AdminNotice } from "../../services/notices/notifier.js";

const MODE_TEXT: Record<JobMode, string> = {
  remux: "stream copy, no video re-encode", transcode: "re-encoded to H.264/AAC", compress: "compressed to fit the upload limit", none: "nothing to do",
};

/** The admins' notice that a conversion finished. */
export function conversionDoneText(n: Extract<AdminNotice, { kind: "conversion.done" }>): string {
  const speed = n.durationS !== null && n.elapsedMs > 0 ? ` (${(n.durationS / (n.elapsedMs / 1000)).toFixed(1)}× realtime)` : "";
  return [
    `✅ <b>Converted</b> ${escapeHtml(n.fileName)} → ${escapeHtml(n.outputName)}`,
    `${MODE_TEXT[n.mode]} · took ${formatDuration(n.elapsedMs / 1000)}${speed}`,
    ...(n.note === null ? [] : [escapeHtml(n.note)]),
  ].join("\n");
}

/** The admins' notice that a conversion failed, with ffmpeg's last lines. */
export function conversionFailedText(n: Extract<AdminNotice, { kind: "conversion.failed" }>): string {
  const lines = n.tail.slice(-5).map((l) => label(l, 300));
  return [
    `❌ <b>Conversion failed</b>: ${escapeHtml(n.fileName)}`,
    escapeHtml(n.reason),
    ...(lines.length === 0 ? [] : [`<pre>${escapeHtml(lines.join("\n"))}</pre>`]),
    "Fix the file and use /convert → Retry failed, or leave it.",
  ].join("\n");
}
