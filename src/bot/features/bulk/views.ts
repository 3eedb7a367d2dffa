import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import { listWithin } from "../../../infra/telegram/limits.js";
import type { SavedSearch } from "../../../services/chat/chat-state.js";
import type { CatalogService } from "../../../services/catalog/catalog-service.js";
import type { SearchService } from "../../../services/search/search-service.js";
import { formatCount } from "../../../services/shared/units.js";
import { BULK_BUTTONS } from "./buttons.js";

/** A bulk edit applies to at most this many videos; larger result sets are refused with the reason. */
export const BULK_LIMIT = 10_000;
const SAMPLE = 5;

/** The videos a bulk edit applies to (a saved search's results), with a few of their names to show. */
export interface ResultSet { readonly ids: readonly number[]; readonly total: number; readonly sample: string }

/** The saved search's results now, or null when it matches nothing any longer. */
export async function resultSet(search: SearchService, catalog: CatalogService, saved: SavedSearch): Promise<ResultSet | null> {
  const outcome = await search.search(saved.query, { limit: BULK_LIMIT, offset: 0 });
  if (!outcome.ok || outcome.total === 0) return null;
  const names = (await catalog.videos(outcome.ids.slice(0, SAMPLE))).map((v) => `• ${escapeHtml(v.fileName)}`);
  const more = outcome.total > SAMPLE ? `\n… and ${formatCount(outcome.total - SAMPLE)} more` : "";
  return { ids: outcome.ids, total: outcome.total, sample: names.join("\n") + more };
}

export const undoKeyboard = (): InlineKeyboard => new InlineKeyboard().text("↩ Undo", BULK_BUTTONS.undo.pack({}));
export const confirmKeyboard = (yes: string, data: string): InlineKeyboard => new InlineKeyboard().text(yes, data).text("Cancel", BULK_BUTTONS.dismiss.pack({}));
/** What replaces a finished edit's message: its undo button when there is something to undo. */
export const doneKeyboard = (bulkId: number | null): InlineKeyboard => (bulkId === null ? new InlineKeyboard() : undoKeyboard());

/** Names the tags of a bulk edit within `budget` characters, with "… and N more tags" for the rest. */
export const tagNames = (names: readonly string[], budget = 1500): string =>
  listWithin(names.map(escapeHtml), budget, { separator: ", ", more: (n) => `… and ${formatCount(n)} more ${n === 1 ? "tag" : "tags"}` });

export const tooMany = (total: number): string =>
  `This search matches ${formatCount(total)} videos; bulk edits take at most ${formatCount(BULK_LIMIT)}. Narrow the search first.`;
