import { formatCount, formatSpan } from "../shared/units.js";
import type { LibraryPaths } from "./library-paths.js";
import type { ProblemFile } from "./library-stats.js";
import { clip, type Escape } from "./scan-summary.js";

/**
 * Files per page of the unreadable-and-missing list. With each path clipped to 150 characters and each
 * reason to 80, a page stays under Telegram's 4096 characters whatever the names are.
 */
export const PROBLEMS_PER_PAGE = 15;

export interface ProblemPage {
  readonly text: string;
  /** 0-based, after clamping to the pages there are. */
  readonly page: number;
  readonly pages: number;
}

function problemLine(file: ProblemFile, paths: LibraryPaths, now: number): string {
  const where = clip(paths.show(file.path), 150);
  if (file.status === "unreadable") return `⚠️ ${where} — ${clip(file.reason ?? "cannot be read", 80)}`;
  const gone = `not found at its path for ${formatSpan((now - file.since) / 1000)}`;
  return `❓ ${where} — ${clip(file.reason === null ? gone : `${gone} (${file.reason})`, 80)}`;
}

/** One page of the list of unreadable and missing files, paths relative to their library folder. */
export function problemPageText(files: readonly ProblemFile[], counts: { unreadable: number; missing: number }, page: number,
  paths: LibraryPaths, escape: Escape, now: number): ProblemPage {
  const total = counts.unreadable + counts.missing;
  const pages = Math.max(1, Math.ceil(total / PROBLEMS_PER_PAGE));
  const header = [`📋 Unreadable and missing files${pages > 1 ? ` — page ${formatCount(page + 1)} of ${formatCount(pages)}` : ""}`,
    `Unreadable: ${formatCount(counts.unreadable)} · Missing: ${formatCount(counts.missing)}`, ""];
  if (total === 0) return { text: [...header.slice(0, 2), "", "Every indexed file can be read and is where it was. 🎉"].join("\n"), page: 0, pages: 1 };
  const lines = files.map((f) => escape(problemLine(f, paths, now)));
  const footer = ["", "Unreadable: fix or replace the file; the next scan reads it again. Missing: put it back, or leave it — a moved copy is found by its content."];
  return { text: [...header, ...lines, ...footer].join("\n"), page, pages };
}
