import { formatBytes, formatCount } from "../units.js";
import type { Escape } from "./scan-summary.js";

export interface CategoryTotal {
  readonly name: string | null;
  readonly videos: number;
  readonly seconds: number;
}

export interface LibraryTotals {
  readonly videos: number;
  readonly seconds: number;
  readonly bytes: number;
  readonly unreadable: number;
  readonly missing: number;
  readonly byCategory: readonly CategoryTotal[];
}

/** Library-wide counts; implemented over the video table. */
export interface LibraryStatsStore {
  totals(): Promise<LibraryTotals>;
}

const hours = (seconds: number): string => `${(seconds / 3600).toFixed(1)} h`;

/** The /status text. `lastScan` is a human phrase such as "5 min ago", or null if never. */
export function statusText(t: LibraryTotals, roots: readonly { root: string; ok: boolean }[], lastScan: string | null, escape: Escape): string {
  const lines = [
    "📚 Library",
    `Videos: ${formatCount(t.videos)} (${hours(t.seconds)}, ${formatBytes(t.bytes)})`,
    `Unreadable: ${formatCount(t.unreadable)} · Missing: ${formatCount(t.missing)}`,
  ];
  if (t.byCategory.length > 0) {
    lines.push("", "By category:");
    for (const c of t.byCategory) lines.push(`• ${c.name === null ? "(no category)" : escape(c.name)} — ${formatCount(c.videos)} videos, ${hours(c.seconds)}`);
  }
  lines.push("", "Folders:");
  if (roots.length === 0) lines.push("• none configured (set LIBRARY_ROOTS)");
  for (const r of roots) lines.push(`• ${r.ok ? "✓" : "✗ not reachable:"} ${escape(r.root)}`);
  lines.push("", `Last scan: ${lastScan ?? "never"}`);
  return lines.join("\n");
}
