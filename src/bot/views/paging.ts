import type { InlineKeyboard } from "grammy";

// Telegram refuses a message with more than 100 buttons. A list that puts one button per item (a
// category, a channel, a sync folder) shows a page of them, with ◀ ▶ buttons whose data carries the page.

/** Items per page of a button list: well under 100 buttons, with room for the view's own buttons. */
export const PAGE_SIZE = 30;

export interface Page<T> {
  /** The items of this page. */
  readonly items: readonly T[];
  /** This page, from 0, clamped to the pages there are (a stale button can ask for one past the end). */
  readonly page: number;
  readonly pages: number;
  /** The index in the whole list of this page's first item. */
  readonly first: number;
}

/** The page `page` of `items` (clamped, so a list that shrank still shows its last page). */
export function pageOf<T>(items: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const at = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
  return { items: items.slice(at * size, at * size + size), page: at, pages, first: at * size };
}

/** The page that shows the item at `index` of the whole list. */
export const pageContaining = (index: number, size = PAGE_SIZE): number => (index < 0 ? 0 : Math.floor(index / size));

/** " (page 2 of 5)" when there is more than one page, else nothing: for a view's heading. */
export const pageNote = (p: Page<unknown>): string => (p.pages > 1 ? ` (page ${p.page + 1} of ${p.pages})` : "");

/** Adds a ◀ / ▶ row to `keyboard` when there is more than one page; `data(page)` is a button's callback data. */
export function addPager(keyboard: InlineKeyboard, p: Page<unknown>, data: (page: number) => string): InlineKeyboard {
  if (p.pages <= 1) return keyboard;
  if (p.page > 0) keyboard.text(`◀ ${p.page}`, data(p.page - 1));
  if (p.page < p.pages - 1) keyboard.text(`${p.page + 2} ▶`, data(p.page + 1));
  return keyboard.row();
}
