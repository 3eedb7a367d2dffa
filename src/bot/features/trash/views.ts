import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import { label, shortenMiddle, type View } from "../../views/view.js";
import type { TrashEntry, TrashSource } from "../../../services/trash/trash.js";
import { timeAgo, timeUntil } from "../../../services/shared/time-ago.js";
import { formatCount } from "../../../services/shared/units.js";
import { TRASH_BUTTONS } from "./buttons.js";

const PAGE = 10;
// Long paths are shortened in the middle, so the folder and the ending both show.
const PATH_SHOWN = 160;
/** Where an entry came from, by its index in a restore button's data. */
export const TRASH_SOURCES: readonly TrashSource[] = ["dupes", "sync"];
const WHY: Record<TrashSource, string> = { dupes: "duplicate clean-up", sync: "left its sync source" };
const fileName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

function entryLine(e: TrashEntry, n: number, now: number): string {
  const stays = e.where === "archive" ? "in the archive" : `in the trash, removed for good ${e.expiresAt === null ? "later" : timeUntil(e.expiresAt, now)}`;
  return `${n}. ${escapeHtml(shortenMiddle(e.path, PATH_SHOWN))}\n    ${WHY[e.source]} · moved ${timeAgo(e.movedAt, now)} · ${stays}`;
}

/** One page of what was moved to the trash or the archive, newest first, each with its restore button. */
export function trashView(entries: readonly TrashEntry[], page: number, now: number): View {
  if (entries.length === 0) return { text: "🗑 The trash and the archive have nothing to restore.", keyboard: new InlineKeyboard() };
  const pages = Math.ceil(entries.length / PAGE);
  const at = Math.min(Math.max(0, page), pages - 1);
  const shown = entries.slice(at * PAGE, at * PAGE + PAGE);
  const keyboard = new InlineKeyboard();
  shown.forEach((e, i) => keyboard.text(label(`↩ Restore ${at * PAGE + i + 1}. ${fileName(e.path)}`, 40),
    TRASH_BUTTONS.restore.pack({ source: TRASH_SOURCES.indexOf(e.source), entryId: e.id })).row());
  if (at > 0) keyboard.text("‹ Newer", TRASH_BUTTONS.page.pack({ page: at - 1 }));
  if (at < pages - 1) keyboard.text("Older ›", TRASH_BUTTONS.page.pack({ page: at + 1 }));
  const count = `${formatCount(entries.length)} ${entries.length === 1 ? "file" : "files"}`;
  const header = `🗑 <b>Recently moved</b> by vidlib (${count}${pages > 1 ? `, page ${at + 1} of ${pages}` : ""}). Restoring puts a file back where it was.`;
  return { text: [header, "", ...shown.map((e, i) => entryLine(e, at * PAGE + i + 1, now))].join("\n"), keyboard };
}
