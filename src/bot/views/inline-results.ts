import type { InlineQueryResult } from "grammy/types";
import type { VideoDetails } from "../../services/catalog/catalog-store.js";
import type { CatalogService } from "../../services/catalog/catalog-service.js";
import type { SearchService } from "../../services/search/search-service.js";
import { formatDuration } from "../../services/shared/units.js";
import { cardText } from "./video-card.js";
import { label } from "./view.js";

/** Telegram's most results per inline answer. */
export const INLINE_PAGE = 50;

export interface InlineAnswer {
  readonly results: InlineQueryResult[];
  readonly nextOffset: string;
  /** All matches, or null when the query has no words to search. */
  readonly total: number | null;
}

/** The video of an inline result id ("v12" or "a12"), or null. */
export function videoOfResult(resultId: string): number | null {
  const id = /^[va](\d{1,15})$/.exec(resultId)?.[1];
  return id === undefined ? null : Number(id);
}

/** One inline result: the video itself when Telegram already has it, else an article that links to its card. */
export function inlineResult(video: VideoDetails, botUsername: string): InlineQueryResult {
  const title = label(video.fileName, 120);
  const description = [video.durationS === null ? null : formatDuration(video.durationS), video.category?.name ?? null, video.tags.map((t) => t.name).join(", ") || null]
    .filter((p) => p !== null).join(" · ");
  const openCard = { inline_keyboard: [[{ text: "Open card", url: `https://t.me/${botUsername}?start=v${video.id}` }]] };
  if (video.telegramFileId !== null) {
    return { type: "video", id: `v${video.id}`, video_file_id: video.telegramFileId, title, description, reply_markup: openCard };
  }
  return {
    type: "article", id: `a${video.id}`, title, description,
    input_message_content: { message_text: cardText(video), link_preview_options: { is_disabled: true } },
    reply_markup: openCard,
  };
}

/** The answer to an inline query: one page of results and the offset of the next. */
export async function inlineAnswer(search: SearchService, catalog: CatalogService, query: string, offset: number, botUsername: string): Promise<InlineAnswer> {
  const outcome = await search.search(query, { limit: INLINE_PAGE, offset });
  if (!outcome.ok) return { results: [], nextOffset: "", total: null };
  const videos = await catalog.videos(outcome.ids);
  const next = offset + INLINE_PAGE;
  return { results: videos.map((v) => inlineResult(v, botUsername)), nextOffset: next < outcome.total ? String(next) : "", total: outcome.total };
}
