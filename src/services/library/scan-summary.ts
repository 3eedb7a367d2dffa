import { formatCount, formatSpan, plural } from "../shared/units.js";
import type { LibraryPaths } from "./library-paths.js";
import { ownerText } from "../sync/owner.js";
import { filesPerSecond, type FileProblem, type ScanProgress, type ScanReport } from "./scan-report.js";

/** How text is made safe for where it is shown: HTML-escaped for Telegram, untouched for a terminal. */
export type Escape = (text: string) => string;

const isAre = (n: number): string => (n === 1 ? "is" : "are");

/** At most `max` characters (UTF-16 units, as Telegram counts), cut in the middle so both ends of a path show. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  const keep = max - 1;
  let head = chars.slice(0, Math.ceil(keep / 2)).join("");
  let tail = chars.slice(chars.length - Math.floor(keep / 2)).join("");
  while (head.length + tail.length > keep) {
    if (head.length >= tail.length) head = [...head].slice(0, -1).join("");
    else tail = [...tail].slice(1).join("");
  }
  return `${head}…${tail}`;
}

function phaseOf(p: ScanProgress): string {
  switch (p.phase) {
    case "listing": return p.rootsTotal > 1 ? `listing files: ${formatCount(p.rootsListed)} of ${plural(p.rootsTotal, "folder")} done` : "listing files";
    case "probing": return `reading ${formatCount(p.probed)} of ${formatCount(p.toProbe)} new or changed files`;
    case "saving": return "saving";
    case "done": return "done";
  }
}

/**
 * What is known while a scan runs, and no more: while listing, how many files were found so far; while
 * reading, how many of the new and changed files are still being read. The final new/moved/missing
 * split is only known at the end (a new file may turn out to be a moved one).
 */
export function progressText(p: ScanProgress): string {
  const lines = [`🔎 Scanning the library… (${phaseOf(p)})`];
  if (p.phase === "listing") {
    lines.push(`found ${plural(p.found, "file")} so far`);
  } else {
    const { pending } = p;
    const reading = [pending.new > 0 ? `${formatCount(pending.new)} new` : "", pending.changed > 0 ? `${formatCount(pending.changed)} changed` : ""].filter((s) => s !== "");
    const left = p.toProbe - p.probed;
    lines.push(`found ${plural(p.found, "file")}` + (reading.length > 0 ? ` · ${reading.join(" and ")} to read` + (left > 0 && p.phase === "probing" ? `, ${formatCount(left)} still being read` : "") : ""));
    if (pending.gone > 0) lines.push(`${plural(pending.gone, "file")} no longer at ${pending.gone === 1 ? "its" : "their"} path (moved or missing: known at the end)`);
    if (pending.restored > 0) lines.push(`${plural(pending.restored, "missing file")} ${isAre(pending.restored)} back`);
    if (p.unreadableRead > 0) lines.push(`${formatCount(p.unreadableRead)} unreadable so far`);
  }
  const rate = filesPerSecond(p);
  const elapsed = formatSpan(p.elapsedMs / 1000);
  lines.push(rate === null ? elapsed : `${rate < 10 ? rate.toFixed(1) : formatCount(rate)} files/s · ${elapsed}`);
  return lines.join("\n");
}

/** Lines of a problem list that fit `budget` characters, each line clipped; then how many more there are. */
function listSection(title: string, items: readonly FileProblem[], total: number, show: (path: string) => string, escape: Escape, budget: number): string[] {
  if (total === 0) return [];
  const lines = [title];
  let used = title.length;
  let shown = 0;
  for (const item of items) {
    const plain = item.reason.startsWith("→") ? `• ${clip(show(item.path), 160)} ${clip(item.reason, 160)}` : `• ${clip(show(item.path), 160)} — ${clip(item.reason, 100)}`;
    if (used + plain.length + 1 > budget) break;
    lines.push(escape(plain));
    used += plain.length + 1;
    shown++;
  }
  if (shown < total) lines.push(`… and ${formatCount(total - shown)} more`);
  return lines;
}

function rootLines(report: ScanReport, paths: LibraryPaths, escape: Escape): string[] {
  const lines: string[] = [];
  const now = report.startedAt + report.elapsedMs;
  for (const busy of report.busy ?? []) {
    lines.push(`⏭ ${escape(paths.folder(busy.root))}: skipped, another process is scanning it (${escape(ownerText(busy.holder, busy.renewedAt, now))})`);
  }
  for (const root of report.roots) {
    const name = escape(paths.folder(root.root));
    if (root.guard !== null) {
      const n = root.guard.wouldMarkMissing;
      lines.push(`⚠️ ${name}: nothing was marked missing — ${escape(root.guard.reason)}. ${plural(n, "indexed file")} ${n === 1 ? "was" : "were"} not found there.`);
    } else if (root.state !== "ok") {
      lines.push(`⚠️ ${name}: ${root.state === "missing" ? "the folder does not exist (is the share mounted?)" : root.state === "unreadable" ? "the folder cannot be read" : "not a folder"}`);
    }
  }
  return lines;
}

/**
 * The end-of-scan summary with the problems listed. Missing and unreadable are the library's counts
 * after the scan (as /status shows them); what this scan added to them is said beside. `budget` bounds
 * the whole text in characters as Telegram counts them (4096 for a message).
 */
export function summaryText(report: ScanReport, escape: Escape, paths: LibraryPaths, budget = 4000): string {
  const missing = report.library?.missing ?? report.missing;
  const unreadable = report.library?.unreadable ?? report.unreadable;
  const lines = [`✅ Scan finished in ${formatSpan(report.elapsedMs / 1000)}`,
    `found ${formatCount(report.found)} · new ${formatCount(report.new)} · changed ${formatCount(report.changed)} · moved ${formatCount(report.moved)} · ` +
    `missing ${formatCount(missing)} · unreadable ${formatCount(unreadable)}`];
  const added = [report.missing > 0 ? `${formatCount(report.missing)} newly missing` : "", report.unreadable > 0 ? `${formatCount(report.unreadable)} newly unreadable` : ""].filter((s) => s !== "");
  if (added.length > 0) lines.push(`(this scan: ${added.join(", ")})`);
  if (report.restored > 0) lines.push(`${plural(report.restored, "file")} that had been missing ${isAre(report.restored)} back`);
  if (report.settling > 0) lines.push(`${plural(report.settling, "file")} ${isAre(report.settling)} still being copied; ${report.settling === 1 ? "it will be indexed when it stops" : "they will be indexed when they stop"} changing`);
  if (report.failedProbes > 0) lines.push(`${plural(report.failedProbes, "file")} could not be read this time (timeout); ${report.failedProbes === 1 ? "it" : "they"} will be tried again`);
  lines.push(...rootLines(report, paths, escape));
  // The fixed lines are short; the lists share what is left of the budget.
  const left = Math.max(0, budget - lines.reduce((n, l) => n + l.length + 1, 0) - 100);
  const share = Math.floor(left / (report.linkCount > 0 ? 3 : 2));
  lines.push(...listSection("Unreadable files found by this scan:", report.unreadableFiles, report.unreadable, (p) => paths.show(p), escape, share));
  lines.push(...listSection("Folders and links that could not be read:", report.problems, report.problemCount, (p) => paths.show(p), escape, share));
  const links = report.links.map((l) => ({ path: l.link, reason: l.target === null ? "leads outside the library folders: not scanned" : `→ ${l.target}` }));
  // The scanner already shows links relative to their library folder.
  lines.push(...listSection(`${plural(report.linkCount, "link")} (not indexed again: what a link leads to is indexed once, at its real path):`,
    links, report.linkCount, (p) => p, escape, share));
  return lines.join("\n");
}
