import { compact, type JsonObject } from "../json.js";

/** A MessageEntity as the Bot API returns it; offsets and lengths are in UTF-16 code units. */
export interface Entity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly language?: string;
  readonly custom_emoji_id?: string;
  readonly user?: JsonObject;
  readonly unix_time?: number;
  readonly date_time_format?: string;
}

export interface FormattedText {
  readonly text: string;
  readonly entities: readonly Entity[];
}

/** Thrown by the parsers with tdlib's message; the caller adds "can't parse entities: ". */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormatError";
  }
}

// tdlib orders entities by offset, then longer first, then by a fixed type priority
const PRIORITY: Record<string, number> = {
  blockquote: 0,
  expandable_blockquote: 0,
  pre: 11,
  code: 20,
  text_link: 49,
  text_mention: 49,
  bold: 90,
  italic: 91,
  underline: 92,
  strikethrough: 93,
  spoiler: 94,
  custom_emoji: 99,
};

export function sortEntities(entities: Entity[]): Entity[] {
  return entities.sort(
    (a, b) => a.offset - b.offset || b.length - a.length || (PRIORITY[a.type] ?? 50) - (PRIORITY[b.type] ?? 50),
  );
}

export function entityToJson(entity: Entity): JsonObject {
  return compact({
    type: entity.type,
    offset: entity.offset,
    length: entity.length,
    url: entity.url,
    language: entity.language,
    custom_emoji_id: entity.custom_emoji_id,
    user: entity.user,
    unix_time: entity.unix_time,
    date_time_format: entity.date_time_format,
  });
}

/** UTF-8 byte offset of a UTF-16 index: tdlib reports positions in bytes. */
export function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

const USER_LINK = /^tg:\/\/user\?id=(\d+)$/i;

export function linkUserId(url: string): number | undefined {
  const match = USER_LINK.exec(url.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * tdlib's get_checked_link in miniature: scheme-less links become http://,
 * only http(s)/tg/ton schemes survive, and URLs are normalized (trailing slash).
 * An unusable link makes Telegram silently drop the entity, so we return undefined.
 */
export function checkedLink(raw: string): string | undefined {
  const link = raw.trim();
  if (link === "") return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(link)?.[1]?.toLowerCase();
  if (scheme === "tg" || scheme === "ton") return link;
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") return undefined;
  try {
    const url = new URL(scheme === undefined ? `http://${link}` : link);
    return url.hostname.includes(".") || url.hostname === "localhost" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const TIME_LINK = /^tg:\/\/time\?(.*)$/i;

/** `tg://time?unix=…&format=…` for date_time entities (Bot API 9.5+). */
export function parseTimeLink(url: string): { unix: number; format?: string } | undefined {
  const query = TIME_LINK.exec(url.trim())?.[1];
  if (query === undefined) return undefined;
  const params = new URLSearchParams(query);
  const unix = Number(params.get("unix"));
  if (!Number.isInteger(unix) || unix <= 0) return undefined;
  return { unix, format: params.get("format") ?? undefined };
}

const EMOJI_LINK = /^tg:\/\/emoji\?id=(\d+)$/i;

export function parseEmojiLink(url: string): string | undefined {
  const id = EMOJI_LINK.exec(url.trim())?.[1];
  return id === undefined || /^0+$/.test(id) ? undefined : id;
}
