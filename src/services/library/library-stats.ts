import { formatBytes, formatCount, plural } from "../shared/units.js";
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
  /** Rows not missing, by library folder (a folder with rows that lists empty is probably unmounted). */
  readonly presentByRoot: ReadonlyMap<string, number>;
}

/** An unreadable or missing file, as the problem list shows it. */
export interface ProblemFile {
  readonly path: string;
  readonly status: "unreadable" | "missing";
  readonly reason: string | null;
  /** When the row last changed: for a missing file, when it was found gone. */
  readonly since: number;
}

/** Library-wide counts; implemented over the video table. */
export interface LibraryStatsStore {
  totals(): Promise<LibraryTotals>;
  /** Unreadable files first, then missing ones, each by path. */
  problems(offset: number, limit: number): Promise<ProblemFile[]>;
}

/** A library folder as /status shows it. */
export type RootHealth =
  | { readonly root: string; readonly state: "ok" }
  /** Cannot be listed now, or lists empty while files are indexed there (an unmounted share). */
  | { readonly root: string; readonly state: "unreachable"; readonly reason: string }
  /** Reachable, but the last scan's safety rule held it back (the admins were alerted). */
  | { readonly root: string; readonly state: "held"; readonly reason: string };

export interface StatusFacts {
  readonly totals: LibraryTotals;
  readonly roots: readonly (RootHealth & { readonly name: string })[];
  /** A human phrase such as "34 minutes ago", or null if never. */
  readonly lastScan: string | null;
  /** The running scan's phase in a few words, or null. */
  readonly scanning: string | null;
}

const MAX_CATEGORIES = 30;
const label = (text: string, max: number): string => ([...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text);

const hours = (seconds: number): string => `${(seconds / 3600).toFixed(1)} h`;

function rootLine(r: StatusFacts["roots"][number], escape: Escape): string {
  switch (r.state) {
    case "ok": return `• ✓ ${escape(r.name)}`;
    case "unreachable": return `• ✗ ${escape(r.name)} — unreachable: ${escape(r.reason)}`;
    case "held": return `• ⚠️ ${escape(r.name)} — needs attention: ${escape(r.reason)}`;
  }
}

/** The /status text. */
export function statusText(facts: StatusFacts, escape: Escape): string {
  const t = facts.totals;
  const lines = [
    "📚 Library",
    `Videos: ${formatCount(t.videos)} (${hours(t.seconds)}, ${formatBytes(t.bytes)})`,
    `Unreadable: ${formatCount(t.unreadable)} · Missing: ${formatCount(t.missing)}`,
  ];
  if (t.byCategory.length > 0) {
    lines.push("", "By category:");
    // Enough to read at a glance, and short enough that the message stays within Telegram's 4096 characters.
    for (const c of t.byCategory.slice(0, MAX_CATEGORIES)) lines.push(`• ${c.name === null ? "(no category)" : escape(label(c.name, 48))} — ${plural(c.videos, "video")}, ${hours(c.seconds)}`);
    if (t.byCategory.length > MAX_CATEGORIES) lines.push(`… and ${plural(t.byCategory.length - MAX_CATEGORIES, "more category", "more categories")} (/categories)`);
  }
  lines.push("", "Folders:");
  if (facts.roots.length === 0) lines.push("• none configured (set LIBRARY_ROOTS)");
  for (const r of facts.roots) lines.push(rootLine(r, escape));
  lines.push("", `Last scan: ${facts.lastScan ?? "never"}`);
  if (facts.scanning !== null) lines.push(`A scan is running now (${escape(facts.scanning)}); /scan follows it.`);
  return lines.join("\n");
}
