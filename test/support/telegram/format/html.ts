import type { JsonObject } from "../json.js";
import {
  byteOffset,
  checkedLink,
  FormatError,
  linkUserId,
  sortEntities,
  type Entity,
  type FormattedText,
} from "./entity.js";
import { decodeHtmlEntity, isHtmlSpace } from "./html-entities.js";

export interface HtmlOptions {
  /** Reject a bare `&` (Telegram keeps it literally; the docs say it must be escaped). */
  readonly strictAmpersand: boolean;
  readonly resolveUser: (id: number) => JsonObject;
}

const SUPPORTED = new Set([
  "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
  "tg-spoiler", "tg-emoji", "tg-time", "span", "pre", "code", "blockquote",
]);

const SIMPLE: Record<string, string> = {
  b: "bold", strong: "bold", i: "italic", em: "italic", u: "underline", ins: "underline",
  s: "strikethrough", strike: "strikethrough", del: "strikethrough", "tg-spoiler": "spoiler", span: "spoiler",
};

interface OpenTag {
  readonly tag: string;
  readonly begin: number;
  readonly offset: number;
  argument: string;
  expandable: boolean;
  unix?: string;
  format?: string;
}

type Draft = { -readonly [K in keyof Entity]: Entity[K] } & { codeLanguage?: string };

/** A port of tdlib's parse_html: same tags, same error texts, UTF-16 offsets. */
export function parseHtml(source: string, options: HtmlOptions): FormattedText {
  return new HtmlParser(source, options).parse();
}

class HtmlParser {
  private out = "";
  private i = 0;
  private readonly drafts: Draft[] = [];
  private readonly stack: OpenTag[] = [];

  constructor(
    private readonly src: string,
    private readonly options: HtmlOptions,
  ) {}

  parse(): FormattedText {
    while (this.i < this.src.length) {
      const c = this.src[this.i] ?? "";
      if (c === "&") this.readReference();
      else if (c !== "<") this.append(c);
      else if (this.src[this.i + 1] === "/") this.closeTag();
      else this.openTag();
    }
    const open = this.stack.at(-1);
    if (open !== undefined) throw new FormatError(`Can't find end tag corresponding to start tag "${open.tag}"`);
    const entities: Entity[] = this.drafts.map(({ codeLanguage: _ignored, ...entity }) => entity);
    return { text: this.out, entities: sortEntities(entities) };
  }

  private at(index: number): string {
    return this.src[index] ?? "\0";
  }

  private append(c: string): void {
    this.out += c;
    this.i++;
  }

  private bytes(index: number): number {
    return byteOffset(this.src, index);
  }

  private readReference(): void {
    const decoded = decodeHtmlEntity(this.src, this.i);
    if (decoded !== undefined) {
      this.out += decoded.char;
      this.i = decoded.end;
      return;
    }
    if (this.options.strictAmpersand) {
      throw new FormatError(`Unescaped "&" at byte offset ${this.bytes(this.i)}; it must be written as "&amp;"`);
    }
    this.append("&");
  }

  private openTag(): void {
    const begin = this.i;
    let i = begin + 1;
    while (!isHtmlSpace(this.at(i)) && this.at(i) !== ">") i++;
    if (i >= this.src.length) throw new FormatError(`Unclosed start tag at byte offset ${this.bytes(begin)}`);
    const tag = this.src.slice(begin + 1, i).toLowerCase();
    if (!SUPPORTED.has(tag)) {
      throw new FormatError(`Unsupported start tag "${tag}" at byte offset ${this.bytes(begin)}`);
    }
    const open: OpenTag = { tag, begin, offset: this.out.length, argument: "", expandable: false };
    this.i = this.readAttributes(open, i) + 1;
    if (tag === "span" && open.argument !== "spoiler") {
      throw new FormatError(`Tag "span" must have class "tg-spoiler" at byte offset ${this.bytes(begin)}`);
    }
    this.stack.push(open);
  }

  /** Returns the index of the closing '>'. */
  private readAttributes(open: OpenTag, start: number): number {
    let i = start;
    const where = `the tag "${open.tag}" at byte offset ${this.bytes(open.begin)}`;
    while (this.at(i) !== ">") {
      while (i < this.src.length && isHtmlSpace(this.at(i))) i++;
      if (this.at(i) === ">") break;
      const nameBegin = i;
      while (!isHtmlSpace(this.at(i)) && this.at(i) !== "=" && this.at(i) !== ">") i++;
      const name = this.src.slice(nameBegin, i);
      if (name === "") throw new FormatError(`Empty attribute name in ${where}`);
      while (i < this.src.length && isHtmlSpace(this.at(i))) i++;
      if (this.at(i) !== "=") {
        if (open.tag === "blockquote" && name === "expandable") {
          open.expandable = true;
          continue;
        }
        throw new FormatError(`Expected equal sign in declaration of an attribute of ${where}`);
      }
      i++;
      while (i < this.src.length && isHtmlSpace(this.at(i))) i++;
      if (i >= this.src.length) throw new FormatError(`Unclosed start tag "${open.tag}" at byte offset ${this.bytes(open.begin)}`);
      const [value, next] = this.readAttributeValue(i);
      i = next;
      if (i >= this.src.length) throw new FormatError(`Unclosed start tag at byte offset ${this.bytes(open.begin)}`);
      applyAttribute(open, name, value);
    }
    return i;
  }

  private readAttributeValue(start: number): [string, number] {
    const quote = this.at(start);
    let i = start;
    if (quote !== "'" && quote !== '"') {
      while (/[A-Za-z0-9.-]/.test(this.at(i))) i++;
      if (!isHtmlSpace(this.at(i)) && this.at(i) !== ">") {
        throw new FormatError(`Unexpected end of name token at byte offset ${this.bytes(start)}`);
      }
      return [this.src.slice(start, i).toLowerCase(), i];
    }
    let value = "";
    i++;
    while (i < this.src.length && this.at(i) !== quote) {
      const decoded = this.at(i) === "&" ? decodeHtmlEntity(this.src, i) : undefined;
      value += decoded?.char ?? this.at(i);
      i = decoded?.end ?? i + 1;
    }
    return [value, this.at(i) === quote ? i + 1 : i];
  }

  private closeTag(): void {
    const begin = this.i;
    if (this.stack.length === 0) throw new FormatError(`Unexpected end tag at byte offset ${this.bytes(begin)}`);
    let i = begin + 2;
    while (!isHtmlSpace(this.at(i)) && this.at(i) !== ">") i++;
    const endName = this.src.slice(begin + 2, i).toLowerCase();
    while (i < this.src.length && isHtmlSpace(this.at(i))) i++;
    if (this.at(i) !== ">") throw new FormatError(`Unclosed end tag at byte offset ${this.bytes(begin)}`);
    const open = this.stack.pop() as OpenTag;
    if (endName !== "" && endName !== open.tag) {
      throw new FormatError(
        `Unmatched end tag at byte offset ${this.bytes(begin)}, expected "</${open.tag}>", found "</${endName}>"`,
      );
    }
    this.i = i + 1;
    if (this.out.length > open.offset) this.emit(open);
  }

  private emit(open: OpenTag): void {
    const offset = open.offset;
    const length = this.out.length - offset;
    const simple = SIMPLE[open.tag];
    if (simple !== undefined) this.drafts.push({ type: simple, offset, length });
    else if (open.tag === "a") this.emitLink(open, offset, length);
    else if (open.tag === "pre" || open.tag === "code") this.emitCode(open, offset, length);
    else if (open.tag === "blockquote") {
      this.drafts.push({ type: open.expandable ? "expandable_blockquote" : "blockquote", offset, length });
    } else if (open.tag === "tg-emoji") {
      if (!/^[1-9]\d*$/.test(open.argument)) throw new FormatError("Invalid custom emoji identifier specified");
      this.drafts.push({ type: "custom_emoji", offset, length, custom_emoji_id: open.argument });
    } else this.emitTime(open, offset, length);
  }

  private emitLink(open: OpenTag, offset: number, length: number): void {
    const url = open.argument === "" ? this.out.slice(open.offset) : open.argument;
    const userId = linkUserId(url);
    if (userId !== undefined) {
      this.drafts.push({ type: "text_mention", offset, length, user: this.options.resolveUser(userId) });
      return;
    }
    const checked = checkedLink(url);
    if (checked !== undefined) this.drafts.push({ type: "text_link", offset, length, url: checked });
  }

  /** `<pre><code class="language-x">` makes one pre entity with a language, as in tdlib. */
  private emitCode(open: OpenTag, offset: number, length: number): void {
    const last = this.drafts.at(-1);
    const sameRange = last !== undefined && last.offset === offset && last.length === length;
    if (open.tag === "pre" && sameRange && last.type === "code") {
      last.type = "pre";
      if (last.codeLanguage) last.language = last.codeLanguage;
      return;
    }
    if (open.tag === "code" && sameRange && last.type === "pre") {
      if (open.argument !== "") last.language = open.argument;
      return;
    }
    const type = open.tag;
    this.drafts.push(type === "code" ? { type, offset, length, codeLanguage: open.argument } : { type, offset, length });
  }

  private emitTime(open: OpenTag, offset: number, length: number): void {
    const unix = Number(open.unix);
    if (!Number.isInteger(unix) || unix <= 0) throw new FormatError("Invalid Unix time specified");
    this.drafts.push({ type: "date_time", offset, length, unix_time: unix, date_time_format: open.format });
  }
}

function applyAttribute(open: OpenTag, name: string, value: string): void {
  if (open.tag === "a" && name === "href") open.argument = value;
  else if (open.tag === "code" && name === "class" && value.startsWith("language-")) open.argument = value.slice(9);
  else if (open.tag === "span" && name === "class" && value.startsWith("tg-")) open.argument = value.slice(3);
  else if (open.tag === "tg-emoji" && name === "emoji-id") open.argument = value;
  else if (open.tag === "tg-time" && name === "unix") open.unix = value;
  else if (open.tag === "tg-time" && name === "format") open.format = value;
  else if (open.tag === "blockquote" && name === "expandable") open.expandable = true;
}
