import { badRequest, TEXTS } from "../api-error.js";
import { getNumber, getObject, getString, isJsonObject, type Json, type JsonObject } from "../json.js";
import { withAutoEntities } from "./auto-entities.js";
import { FormatError, type Entity, type FormattedText } from "./entity.js";
import { parseHtml } from "./html.js";
import { parseMarkdownV2 } from "./markdown-v2.js";
import { parseMarkdownLegacy } from "./markdown.js";

export interface FormatOptions {
  readonly strictHtmlAmpersand: boolean;
  readonly resolveUser: (id: number) => JsonObject;
}

/**
 * Turns what a bot sent (text + parse_mode or entities) into what the chat
 * shows: plain text with entities, trimmed like Telegram does, with detected
 * commands/links added. Length limits are checked by the caller on the result.
 */
export function formatText(
  raw: string,
  parseMode: Json | undefined,
  entities: Json | undefined,
  options: FormatOptions,
): FormattedText {
  const parsed = parse(raw, parseMode, entities, options);
  const trimmed = trim(parsed);
  return { text: trimmed.text, entities: withAutoEntities(trimmed.text, trimmed.entities) };
}

function parse(raw: string, parseMode: Json | undefined, entities: Json | undefined, options: FormatOptions): FormattedText {
  const mode = typeof parseMode === "string" ? parseMode.toLowerCase() : "";
  try {
    if (mode === "html") return parseHtml(raw, { strictAmpersand: options.strictHtmlAmpersand, resolveUser: options.resolveUser });
    if (mode === "markdownv2") return parseMarkdownV2(raw, options.resolveUser);
    if (mode === "markdown") return parseMarkdownLegacy(raw, options.resolveUser);
  } catch (error) {
    if (error instanceof FormatError) throw badRequest(TEXTS.parseEntities + error.message);
    throw error;
  }
  if (mode !== "") throw badRequest("unsupported parse_mode");
  return { text: raw, entities: entitiesFromParam(entities) };
}

/** Explicit `entities` were schema-checked already; this only narrows the JSON. */
export function entitiesFromParam(value: Json | undefined): Entity[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((item) => ({
    type: getString(item, "type") ?? "",
    offset: getNumber(item, "offset") ?? 0,
    length: getNumber(item, "length") ?? 0,
    url: getString(item, "url"),
    language: getString(item, "language"),
    custom_emoji_id: getString(item, "custom_emoji_id"),
    user: getObject(item, "user"),
    unix_time: getNumber(item, "unix_time"),
    date_time_format: getString(item, "date_time_format"),
  }));
}

/** Telegram strips leading and trailing whitespace and moves the entities along. */
function trim(source: FormattedText): FormattedText {
  const start = source.text.length - source.text.trimStart().length;
  const text = source.text.trim();
  const entities: Entity[] = [];
  for (const entity of source.entities) {
    const from = Math.max(entity.offset - start, 0);
    const to = Math.min(entity.offset + entity.length - start, text.length);
    if (to > from) entities.push({ ...entity, offset: from, length: to - from });
  }
  return { text, entities };
}
