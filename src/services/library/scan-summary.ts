import { formatCount, formatDuration } from "../units.js";
import { filesPerSecond, type FileProblem, type ScanProgress, type ScanReport } from "./scan-report.js";

/** How text is made safe for where it is shown: HTML-escaped for Telegram, untouched for a terminal. */
export type Escape = (text: string) => string;

const counts = (p: ScanProgress): string =>
  `found ${formatCount(p.found)} · new ${formatCount(p.new)} · changed ${formatCount(p.changed)} · moved ${formatCount(p.moved)} · ` +
  `missing ${formatCount(p.missing)} · unreadable ${formatCount(p.unreadable)}`;

/** One progress line set, as shown while a scan runs. */
export function progressText(p: ScanProgress): string {
  const phase = p.phase === "listing" ? "listing files" : p.phase === "probing" ? `reading ${formatCount(p.probed)} of ${formatCount(p.toProbe)} new or changed files` : "saving";
  return [`🔎 Scanning the library… (${phase})`, counts(p), `${formatCount(filesPerSecond(p))} files/s · ${formatDuration(p.elapsedMs / 1000)}`].join("\n");
}

function listSection(title: string, items: readonly FileProblem[], total: number, escape: Escape, budget: number): string[] {
  if (total === 0) return [];
  const lines = [title];
  let used = title.length;
  let shown = 0;
  for (const item of items) {
    const line = `• ${escape(item.path)} — ${escape(item.reason)}`;
    if (used + line.length > budget) break;
    lines.push(line);
    used += line.length + 1;
    shown++;
  }
  if (shown < total) lines.push(`… and ${formatCount(total - shown)} more`);
  return lines;
}

/**
 * The end-of-scan summary with the problems listed. `budget` bounds the listed items, so the text
 * stays within a Telegram message (4096 characters) after escaping.
 */
export function summaryText(report: ScanReport, escape: Escape, budget = 3000): string {
  const lines = [`✅ Scan finished in ${formatDuration(report.elapsedMs / 1000)}`, counts(report)];
  if (report.restored > 0) lines.push(`restored ${formatCount(report.restored)} ${report.restored === 1 ? "file that had" : "files that had"} been missing`);
  if (report.settling > 0) lines.push(report.settling === 1 ? "1 file is still being copied; it will be indexed when it stops changing"
    : `${formatCount(report.settling)} files are still being copied; they will be indexed when they stop changing`);
  if (report.failedProbes > 0) lines.push(`${formatCount(report.failedProbes)} files could not be read this time (timeout); they will be tried again`);
  for (const root of report.roots) {
    if (root.guard !== null) {
      lines.push(`⚠️ ${escape(root.root)}: nothing was marked missing — ${escape(root.guard.reason)}. ${formatCount(root.guard.wouldMarkMissing)} files were not found there.`);
    } else if (root.state !== "ok") {
      lines.push(`⚠️ ${escape(root.root)}: ${root.state === "missing" ? "the folder does not exist" : root.state === "unreadable" ? "the folder cannot be read" : "not a folder"}`);
    }
  }
  const half = Math.floor(budget / 2);
  lines.push(...listSection("Unreadable files:", report.unreadableFiles, report.unreadable, escape, half));
  lines.push(...listSection("Folders and links that could not be read:", report.problems, report.problemCount, escape, half));
  return lines.join("\n");
}
