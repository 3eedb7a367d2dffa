import { escapeHtml } from "../format.js";
import { formatBytes, formatCount, formatDuration } from "../../services/shared/units.js";
import type { SyncFile } from "../../services/sync/sync-plan.js";
import type { PreviewFacts, SyncFinalReport, SyncOutcome, SyncProgress, SyncProgressReport } from "../../services/sync/sync-report.js";

/** "1 file", "2 files". */
const files = (n: number): string => `${formatCount(n)} ${n === 1 ? "file" : "files"}`;

const BAR_CELLS = 16;

/** "▓▓▓▓░░░░ 50 %": never shows 100 % before the last byte. */
export function progressBar(done: number, total: number): string {
  const share = total <= 0 ? 1 : Math.min(1, done / total);
  const percent = done < total ? Math.min(99, Math.floor(share * 100)) : 100;
  const cells = Math.round(share * BAR_CELLS);
  return `${"▓".repeat(cells)}${"░".repeat(BAR_CELLS - cells)} ${percent} %`;
}

export function calculatingText(title: string): string {
  return `🔄 <b>Sync</b> ${escapeHtml(title)}\nCalculating… (comparing the source with the library)`;
}

/** The bar, the files and bytes so far, the speed and the time left. */
export function copyingText(p: SyncProgress): string {
  const left = p.bytesTotal - p.bytesDone;
  const speed = p.bytesPerS === null ? "measuring speed…"
    : `${(p.bytesPerS / 1e6).toFixed(1)} MB/s · ETA ${p.bytesPerS > 0 ? formatDuration(left / p.bytesPerS) : "–"}`;
  return [
    `🔄 <b>Sync</b> ${escapeHtml(p.title)}`,
    `<code>${progressBar(p.bytesDone, p.bytesTotal)}</code>`,
    `${formatCount(p.filesDone)} of ${files(p.filesTotal)} · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`,
    speed,
  ].join("\n");
}

const LISTED = 10;

function fileList(files: readonly SyncFile[]): string[] {
  const lines = files.slice(0, LISTED).map((f) => `• ${escapeHtml(f.relPath)} (${formatBytes(f.size)})`);
  if (files.length > LISTED) lines.push(`… and ${formatCount(files.length - LISTED)} more`);
  return lines;
}

/** "1 file is still being written; it is copied by a later sync." */
export function settlingLine(n: number): string {
  return `${files(n)} ${n === 1 ? "is" : "are"} still being written (changed in the last moments); ${n === 1 ? "it is" : "they are"} copied by a later sync.`;
}

/** Why a sync removed nothing although files left the source: it looks like a share that is not mounted. */
export function guardLine(reason: string, kept: number): string {
  return `⚠️ <b>Nothing was removed</b>: ${escapeHtml(reason)}. The ${files(kept)} that left the source ${kept === 1 ? "stays" : "stay"} in the library. Check the source folder; if the files really were deleted, remove them from the library folder by hand.`;
}

/** The admins' alert when a sync held back its removals. */
export function guardAlert(title: string, reason: string, kept: number): string {
  return `⚠️ <b>Sync held back its removals</b> ${escapeHtml(title)}
${guardLine(reason, kept)}`;
}

/** The dry-run preview: what would be copied and what would go to the trash, and whether the cap and the unmount rule allow it. */
export function previewText(title: string, plan: PreviewFacts, cap: number, trashDays: number): string {
  const { copies, removals } = plan;
  const bytes = copies.reduce((sum, f) => sum + f.size, 0);
  const lines = [
    `🔍 <b>Sync preview</b> ${escapeHtml(title)}`,
    copies.length === 0 ? "Nothing to copy: the library is up to date." : `${files(copies.length)} new or changed, to copy (${formatBytes(bytes)}).`,
    ...(plan.settling > 0 ? [settlingLine(plan.settling)] : []),
  ];
  if (removals.length === 0) {
    lines.push("Nothing to remove.");
    return lines.join("\n");
  }
  lines.push(
    "",
    `<b>${files(removals.length)} ${removals.length === 1 ? "is" : "are"} no longer in the source.</b> Removing ${removals.length === 1 ? "it moves it" : "them moves them"} to the trash, ${removals.length === 1 ? "where it stays" : "where they stay"} ${formatCount(trashDays)} ${trashDays === 1 ? "day" : "days"}:`,
    ...fileList(removals),
  );
  if (plan.guard !== null) lines.push("", guardLine(plan.guard, removals.length), "So only copying is offered.");
  if (removals.length > cap) {
    lines.push("", `⚠️ That is more than the deletion cap of ${formatCount(cap)} (in /settings), so only copying is offered. Check that the source folder is complete (a share that is not mounted looks empty), or raise the cap.`);
  }
  return lines.join("\n");
}

export function finishedText(o: SyncOutcome): string {
  const guard = o.guard ?? null;
  const icon = o.failed > 0 || guard !== null ? "⚠️" : "✅";
  const lines = [
    `${icon} <b>Sync finished</b> ${escapeHtml(o.title)}`,
    `Copied ${files(o.copied)} (${formatBytes(o.bytes)}) in ${formatDuration(o.elapsedMs / 1000)}${o.removed > 0 ? ` · moved ${formatCount(o.removed)} to the trash` : ""}.`,
  ];
  if (o.failed > 0) lines.push(`${files(o.failed)} could not be copied; ${o.failed === 1 ? "it is" : "they are"} tried again at the next sync:`, ...o.problems.slice(0, 5).map((p) => `• ${escapeHtml(p)}`));
  if ((o.settling ?? 0) > 0) lines.push(settlingLine(o.settling ?? 0));
  if (guard !== null) lines.push(guardLine(guard, o.removalsLeft));
  if (o.removalsLeft > 0) lines.push(`${files(o.removalsLeft)} that left the source ${o.removalsLeft === 1 ? "was" : "were"} kept. ${guard === null ? "Use /sync to preview removing them." : ""}`.trimEnd());
  return lines.join("\n");
}

/** A run's progress as its message shows it. */
export function syncProgressHtml(report: SyncProgressReport): string {
  switch (report.kind) {
    case "calculating": return calculatingText(report.title);
    case "copying": return copyingText(report.progress);
  }
}

/** A run's last word as Telegram HTML. */
export function syncFinalHtml(report: SyncFinalReport): string {
  switch (report.kind) {
    case "preview": return previewText(report.title, report.facts, report.cap, report.trashDays);
    case "finished": return finishedText(report.outcome);
    case "failed": return `❌ <b>Sync failed</b> ${escapeHtml(report.title)}\n${escapeHtml(report.why)}`;
  }
}
