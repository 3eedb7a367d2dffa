import type { JsonObject } from "../json.js";
import { byteOffset, checkedLink, FormatError, linkUserId, type Entity, type FormattedText } from "./entity.js";

/** A port of tdlib's legacy parse_markdown (parse_mode "Markdown"): no nesting, few escapes. */
export function parseMarkdownLegacy(src: string, resolveUser: (id: number) => JsonObject): FormattedText {
  let out = "";
  const entities: Entity[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? "";
    if (c === "\\" && "_*`[".includes(src[i + 1] ?? "\0")) {
      out += src[i + 1];
      i += 2;
    } else if (!"_*`[".includes(c)) {
      out += c;
      i++;
    } else {
      const parsed = parseEntity(src, i, out.length, resolveUser);
      out += parsed.text;
      if (parsed.entity !== undefined) entities.push(parsed.entity);
      i = parsed.next;
    }
  }
  return { text: out, entities };
}

interface Parsed {
  readonly text: string;
  readonly entity?: Entity;
  readonly next: number;
}

function parseEntity(src: string, begin: number, offset: number, resolveUser: (id: number) => JsonObject): Parsed {
  const c = src[begin] ?? "";
  const isPre = c === "`" && src.startsWith("``", begin + 1);
  const endChar = c === "[" ? "]" : c;
  let i = begin + (isPre ? 3 : 1);
  let language = "";
  if (isPre) [language, i] = readPreHeader(src, i);
  const start = i;
  while (i < src.length && (src[i] !== endChar || (isPre && !src.startsWith("``", i + 1)))) i++;
  if (i >= src.length) {
    throw new FormatError(`Can't find end of the entity starting at byte offset ${byteOffset(src, begin)}`);
  }
  const text = src.slice(start, i);
  const length = text.length;
  if (c === "[") return parseLink(src, i, text, offset, resolveUser);
  const next = i + (isPre ? 3 : 1);
  if (length === 0) return { text, next };
  if (c === "_") return { text, next, entity: { type: "italic", offset, length } };
  if (c === "*") return { text, next, entity: { type: "bold", offset, length } };
  if (!isPre) return { text, next, entity: { type: "code", offset, length } };
  const entity: Entity = language === "" ? { type: "pre", offset, length } : { type: "pre", offset, length, language };
  return { text, next, entity };
}

function readPreHeader(src: string, start: number): [string, number] {
  let i = start;
  let languageEnd = i;
  while (languageEnd < src.length && !/[\s`]/.test(src[languageEnd] ?? "")) languageEnd++;
  let language = "";
  if (languageEnd !== i && languageEnd < src.length && src[languageEnd] !== "`") {
    language = src.slice(i, languageEnd);
    i = languageEnd;
  }
  const a = src[i];
  const b = src[i + 1];
  if (a === "\n" || a === "\r") i += (b === "\n" || b === "\r") && a !== b ? 2 : 1;
  return [language, i];
}

function parseLink(src: string, close: number, text: string, offset: number, resolveUser: (id: number) => JsonObject): Parsed {
  let i = close;
  let url = text;
  if (src[i + 1] === "(") {
    i += 2;
    const urlStart = i;
    while (i < src.length && src[i] !== ")") i++;
    url = src.slice(urlStart, i);
  }
  const next = i + 1;
  if (text.length === 0) return { text, next };
  const userId = linkUserId(url);
  if (userId !== undefined) {
    return { text, next, entity: { type: "text_mention", offset, length: text.length, user: resolveUser(userId) } };
  }
  const checked = checkedLink(url);
  return checked === undefined ? { text, next } : { text, next, entity: { type: "text_link", offset, length: text.length, url: checked } };
}
