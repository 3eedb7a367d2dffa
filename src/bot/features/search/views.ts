import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import type { Role } from "../../../entities/user.js";
import type { CatalogService } from "../../../services/catalog/catalog-service.js";
import { can, type Permission } from "../../../services/people/permissions.js";
import type { SearchOutcome } from "../../../services/search/search-service.js";
import { formatCount } from "../../../services/shared/units.js";
import { listWithin, messageWithList } from "../../../infra/telegram/limits.js";
import { EXPIRED } from "../../views/respond.js";
import { label, type View } from "../../views/view.js";
import { BULK_BUTTONS } from "../bulk/buttons.js";
import { CARD_BUTTONS } from "../card/buttons.js";
import { SEARCH_BUTTONS } from "./buttons.js";

export const PAGE_SIZE = 10;
const QUERY_SHOWN = 80;
// Each result's tags within this many characters, so that a page of ten fits in one message.
const TAGS_SHOWN = 120;

const quoted = (query: string): string => escapeHtml([...query].length > QUERY_SHOWN ? `${[...query].slice(0, QUERY_SHOWN - 1).join("")}…` : query);

/** Where a page of results is: the chat's saved search, its page, and its analytics record (0: none). */
export interface ResultsAt {
  readonly searchId: number;
  readonly query: string;
  readonly page: number;
  readonly logId: number;
}

/** The bulk edits of all results that this role may make. */
function addBulkButtons(keyboard: InlineKeyboard, role: Role | null, searchId: number, total: number): void {
  const n = formatCount(total);
  const may = (p: Permission): boolean => can(role, p);
  if (may("tag")) keyboard.text(`🏷 Tag all ${n}`, BULK_BUTTONS.tag.pack({ searchId })).text(`✕ Untag all ${n}`, BULK_BUTTONS.untag.pack({ searchId })).row();
  if (may("categorise")) keyboard.text(`📂 Set category for all ${n}`, BULK_BUTTONS.category.pack({ searchId })).row();
  if (may("convert")) keyboard.text(`🔄 Convert all ${n}`, BULK_BUTTONS.convert.pack({ searchId }));
  if (may("queue")) keyboard.text(`📤 Send all ${n}`, BULK_BUTTONS.queue.pack({ searchId }));
}

/** One page of results, or a message saying why there is none. */
export async function resultsPage(catalog: CatalogService, role: Role | null, outcome: SearchOutcome, at: ResultsAt): Promise<View | string> {
  const { searchId, query, page, logId } = at;
  if (!outcome.ok) return "Send some words to search for, for example <i>electrostatics lecture 4</i>. Punctuation and emoji alone do not search.";
  if (outcome.total === 0) return `No videos match “${quoted(query)}”. Try fewer or shorter words.`;
  const pages = Math.ceil(outcome.total / PAGE_SIZE);
  if (page >= pages) return EXPIRED;
  const videos = await catalog.videos(outcome.ids);
  const keyboard = new InlineKeyboard();
  const lines = videos.map((v, i) => {
    const n = page * PAGE_SIZE + i + 1;
    // Opening a result through the search records the choice for /stats.
    const open = logId === 0 ? CARD_BUTTONS.open.pack({ videoId: v.id }) : SEARCH_BUTTONS.open.pack({ logId, videoId: v.id });
    keyboard.text(label(`${n}. ${v.fileName}`, 60), open).row();
    const tags = v.tags.length === 0 ? "" : ` · ${listWithin(v.tags.map((t) => escapeHtml(t.name)), TAGS_SHOWN, { separator: ", " })}`;
    return `${n}. <b>${escapeHtml(v.fileName)}</b>${tags}`;
  });
  if (pages > 1) {
    if (page > 0) keyboard.text("‹ Previous", SEARCH_BUTTONS.page.pack({ searchId, page: page - 1, logId }));
    if (page + 1 < pages) keyboard.text("Next ›", SEARCH_BUTTONS.page.pack({ searchId, page: page + 1, logId }));
    keyboard.row();
  }
  addBulkButtons(keyboard, role, searchId, outcome.total);
  const header = `🔎 <b>${formatCount(outcome.total)} ${outcome.total === 1 ? "video matches" : "videos match"}</b> “${quoted(query)}”${pages > 1 ? ` — page ${page + 1} of ${pages}` : ""}`;
  return { text: messageWithList(`${header}\n`, lines, "", { more: (hidden) => `… and ${hidden} more on this page (see the buttons)` }), keyboard };
}
