import type { JsonObject } from "../json.js";
import {
  byteOffset,
  checkedLink,
  FormatError,
  linkUserId,
  parseEmojiLink,
  parseTimeLink,
  sortEntities,
  type Entity,
  type FormattedText,
} from "./entity.js";
import { readEscapedUrl } from "./markdown-url.js";

type MdType =
  | "Bold" | "Italic" | "Underline" | "Strikethrough" | "Spoiler" | "TextUrl" | "Code" | "Pre" | "PreCode"
  | "CustomEmoji" | "BlockQuote" | "ExpandableBlockQuote";

interface Open {
  readonly type: MdType;
  readonly argument: string;
  readonly offset: number;
  readonly srcIndex: number;
}

const RESERVED = "_*[]()~`>#+-=|{}.!\n";
const SIMPLE: Partial<Record<MdType, string>> = {
  Bold: "bold", Italic: "italic", Underline: "underline", Strikethrough: "strikethrough",
  Spoiler: "spoiler", Code: "code", Pre: "pre",
};

/** A port of tdlib's parse_markdown_v2 plus expandable block quotes (`**>` … `||`). */
export function parseMarkdownV2(source: string, resolveUser: (id: number) => JsonObject): FormattedText {
  return new MarkdownV2Parser(source, resolveUser).parse();
}

class MarkdownV2Parser {
  private out = "";
  private i = 0;
  private inQuote = false;
  private readonly entities: Entity[] = [];
  private readonly stack: Open[] = [];

  constructor(
    private readonly src: string,
    private readonly resolveUser: (id: number) => JsonObject,
  ) {}

  parse(): FormattedText {
    if (this.src.startsWith("**>")) this.startQuote("ExpandableBlockQuote", 3);
    else if (this.src.startsWith(">")) this.startQuote("BlockQuote", 1);
    while (this.i < this.src.length) this.step();
    const top = this.stack.at(-1);
    if (this.inQuote && top !== undefined && top.type.endsWith("BlockQuote")) this.finishQuote(top);
    const open = this.stack.at(-1);
    if (open !== undefined) throw this.unclosed(open);
    return { text: this.out, entities: sortEntities(this.entities) };
  }

  private at(index: number): string {
    return this.src[index] ?? "\0";
  }

  private step(): void {
    const c = this.at(this.i);
    const next = this.at(this.i + 1).charCodeAt(0);
    if (c === "\\" && next > 0 && next <= 126) {
      this.out += this.at(this.i + 1);
      this.i += 2;
      return;
    }
    const top = this.stack.at(-1);
    const inCode = top !== undefined && (top.type === "Code" || top.type === "Pre" || top.type === "PreCode");
    if (!(inCode ? "`" : RESERVED).includes(c)) {
      this.out += c;
      this.i++;
      return;
    }
    if (top !== undefined && this.isEnd(top, c)) this.close(top, c);
    else this.open(c);
  }

  private lineContinuesQuote(index: number): boolean {
    return this.at(index) === ">";
  }

  private isEnd(top: Open, c: string): boolean {
    if (this.inQuote && c === "\n" && !this.lineContinuesQuote(this.i + 1)) return true;
    const n1 = this.at(this.i + 1);
    switch (top.type) {
      case "Bold": return c === "*";
      case "Italic": return c === "_" && n1 !== "_";
      case "Underline": return c === "_" && n1 === "_";
      case "Strikethrough": return c === "~";
      case "Spoiler": return c === "|" && n1 === "|";
      case "Code": return c === "`";
      case "Pre":
      case "PreCode": return c === "`" && n1 === "`" && this.at(this.i + 2) === "`";
      case "TextUrl":
      case "CustomEmoji": return c === "]";
      case "BlockQuote": return false;
      case "ExpandableBlockQuote": return c === "|" && n1 === "|" && ["\n", "\0"].includes(this.at(this.i + 2));
    }
  }

  private reserved(c: string): FormatError {
    return new FormatError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
  }

  private unclosed(open: Open): FormatError {
    return new FormatError(`Can't find end of ${open.type} entity at byte offset ${byteOffset(this.src, open.srcIndex)}`);
  }

  private push(type: MdType, skip: number, argument = "", srcIndex = this.i): void {
    this.stack.push({ type, argument, offset: this.out.length, srcIndex });
    this.i += skip;
  }

  private open(c: string): void {
    const n1 = this.at(this.i + 1);
    switch (c) {
      case "_": return n1 === "_" ? this.push("Underline", 2) : this.push("Italic", 1);
      case "*": return this.push("Bold", 1);
      case "~": return this.push("Strikethrough", 1);
      case "|":
        if (n1 !== "|") throw this.reserved(c);
        return this.push("Spoiler", 2);
      case "[": return this.push("TextUrl", 1);
      case "`": return n1 === "`" && this.at(this.i + 2) === "`" ? this.openPre() : this.push("Code", 1);
      case "!":
        if (n1 !== "[") throw this.reserved(c);
        return this.push("CustomEmoji", 2);
      case "\n": return this.newLine();
      default: throw this.reserved(c);
    }
  }

  private openPre(): void {
    const begin = this.i;
    let i = this.i + 3;
    let languageEnd = i;
    while (!/[\s`\0]/.test(this.at(languageEnd))) languageEnd++;
    let type: MdType = "Pre";
    let language = "";
    if (languageEnd !== i && languageEnd < this.src.length && this.at(languageEnd) !== "`") {
      type = "PreCode";
      language = this.src.slice(i, languageEnd);
      i = languageEnd;
    }
    // one line break right after the opening fence is not part of the code
    const a = this.at(i);
    const b = this.at(i + 1);
    if (a === "\n" || a === "\r") i += (b === "\n" || b === "\r") && a !== b ? 2 : 1;
    this.i = i;
    this.stack.push({ type, argument: language, offset: this.out.length, srcIndex: begin });
  }

  private newLine(): void {
    this.out += "\n";
    this.i++;
    if (this.at(this.i) === ">") {
      if (this.inQuote) this.i++;
      else this.startQuote("BlockQuote", 1);
    } else if (!this.inQuote && this.src.startsWith("**>", this.i)) {
      this.startQuote("ExpandableBlockQuote", 3);
    }
  }

  private startQuote(type: MdType, skip: number): void {
    this.inQuote = true;
    this.push(type, skip);
  }

  private finishQuote(open: Open): void {
    this.stack.pop();
    this.inQuote = false;
    const length = this.out.length - open.offset;
    const type = open.type === "BlockQuote" ? "blockquote" : "expandable_blockquote";
    if (length > 0) this.entities.push({ type, offset: open.offset, length });
  }

  private close(top: Open, c: string): void {
    if (c === "\n" && !top.type.endsWith("BlockQuote")) throw this.unclosed(top);
    if (c === "\n") {
      // tdlib keeps the line break that ends a quote inside the quote
      this.out += "\n";
      this.i++;
      this.finishQuote(top);
      if (this.src.startsWith("**>", this.i)) this.startQuote("ExpandableBlockQuote", 3);
      else if (this.at(this.i) === ">") this.startQuote("BlockQuote", 1);
      return;
    }
    if (top.type === "ExpandableBlockQuote") {
      this.i += 2;
      this.finishQuote(top);
      return;
    }
    this.stack.pop();
    const empty = this.out.length === top.offset;
    if (top.type === "TextUrl") return this.closeLink(top, empty);
    if (top.type === "CustomEmoji") return this.closeEmoji(top, empty);
    this.i += top.type === "Underline" || top.type === "Spoiler" ? 2 : top.type.startsWith("Pre") ? 3 : 1;
    if (empty) return;
    const length = this.out.length - top.offset;
    const type = SIMPLE[top.type];
    if (type !== undefined) this.entities.push({ type, offset: top.offset, length });
    else this.entities.push({ type: "pre", offset: top.offset, length, language: top.argument });
  }

  /** Reads `(url)` after `]`; returns undefined (and skips the `]`) if there is none. */
  private readUrl(): string | undefined {
    if (this.at(this.i + 1) !== "(") {
      this.i++;
      return undefined;
    }
    const { url, next } = readEscapedUrl(this.src, this.i + 2);
    this.i = next;
    return url;
  }

  private closeLink(top: Open, empty: boolean): void {
    const url = this.readUrl() ?? this.out.slice(top.offset);
    if (empty) return;
    const length = this.out.length - top.offset;
    const userId = linkUserId(url);
    if (userId !== undefined) {
      this.entities.push({ type: "text_mention", offset: top.offset, length, user: this.resolveUser(userId) });
      return;
    }
    const checked = checkedLink(url);
    if (checked !== undefined) this.entities.push({ type: "text_link", offset: top.offset, length, url: checked });
  }

  private closeEmoji(top: Open, empty: boolean): void {
    if (this.at(this.i + 1) !== "(") throw new FormatError("Custom emoji entity must contain a tg://emoji URL");
    const url = this.readUrl() ?? "";
    const length = this.out.length - top.offset;
    const time = parseTimeLink(url);
    if (time !== undefined) {
      if (empty) return;
      this.entities.push({
        type: "date_time", offset: top.offset, length, unix_time: time.unix, date_time_format: time.format,
      });
      return;
    }
    const emojiId = parseEmojiLink(url);
    if (emojiId === undefined) throw new FormatError("Invalid custom emoji identifier specified");
    if (!empty) this.entities.push({ type: "custom_emoji", offset: top.offset, length, custom_emoji_id: emojiId });
  }
}
