import { escapeHtml } from "../telegram-html.js";
import { formatBytes, formatCount, formatDuration } from "../units.js";
import type { SyncFolder } from "./ports.js";
import type { SyncFile } from "./sync-plan.js";

/** "source → target", as every message about a folder names it. */
export const folderTitle = (f: SyncFolder): string => `${f.sourcePath} → ${f.targetPath}`;

/** "1 file", "2 files". */
const files = (n: number): string => `${formatCount(n)} ${n === 1 ? "file" : "files"}`;

/** Where a run stands, as the progress message shows it. */
export interface SyncProgress {
  readonly title: string;
  readonly filesTotal: number;
  readonly filesDone: number;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  /** Bytes per second over this session's copying, or null before there is a fair figure. */
  readonly bytesPerS: number | null;
}

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

/** The dry-run preview: what would be copied and what would go to the trash, and whether the cap allows it. */
export function previewText(title: string, copies: readonly SyncFile[], removals: readonly SyncFile[], cap: number, trashDays: number): string {
  const bytes = copies.reduce((sum, f) => sum + f.size, 0);
  const lines = [
    `🔍 <b>Sync preview</b> ${escapeHtml(title)}`,
    copies.length === 0 ? "Nothing to copy: the library is up to date." : `${files(copies.length)} new or changed, to copy (${formatBytes(bytes)}).`,
    "",
    `<b>${files(removals.length)} ${removals.length === 1 ? "is" : "are"} no longer in the source.</b> Removing ${removals.length === 1 ? "it moves it" : "them moves them"} to the trash, where they stay ${trashDays} days:`,
    ...fileList(removals),
  ];
  if (removals.length > cap) {
    lines.push("", `⚠️ That is more than the deletion cap of ${formatCount(cap)} (in /settings), so only copying is offered. Check that the source folder is complete (a share that is not mounted looks empty), or raise the cap.`);
  }
  return lines.join("\n");
}

export interface SyncOutcome {
  readonly title: string;
  readonly copied: number;
  readonly removed: number;
  readonly failed: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  /** Removals that were found but not applied (copy-only runs). */
  readonly removalsLeft: number;
  readonly problems: readonly string[];
}

export function finishedText(o: SyncOutcome): string {
  const icon = o.failed > 0 ? "⚠️" : "✅";
  const lines = [
    `${icon} <b>Sync finished</b> ${escapeHtml(o.title)}`,
    `Copied ${files(o.copied)} (${formatBytes(o.bytes)}) in ${formatDuration(o.elapsedMs / 1000)}${o.removed > 0 ? ` · moved ${formatCount(o.removed)} to the trash` : ""}.`,
  ];
  if (o.failed > 0) lines.push(`${files(o.failed)} could not be copied; ${o.failed === 1 ? "it is" : "they are"} tried again at the next sync:`, ...o.problems.slice(0, 5).map((p) => `• ${escapeHtml(p)}`));
  if (o.removalsLeft > 0) lines.push(`${files(o.removalsLeft)} that left the source ${o.removalsLeft === 1 ? "was" : "were"} kept. Use /sync → Preview to review removing them.`);
  return lines.join("\n");
}
