// Telegram refuses a message over 4096 characters (a caption over 1024), counted after HTML parsing:
// tags do not count, an entity such as &amp; counts as one, and characters are UTF-16 code units.

/** The longest text of a message, as Telegram measures it. */
export const MESSAGE_LIMIT = 4096;
/** The longest caption of a photo, video or document, as Telegram measures it. */
export const CAPTION_LIMIT = 1024;
/** The longest answer to a button press (its toast or alert), plain text. */
export const CALLBACK_ANSWER_LIMIT = 200;

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** One piece of HTML: a tag (counts nothing), or text as the reader sees it. */
interface Token { readonly raw: string; readonly shown: string; readonly tag?: { name: string; closing: boolean } }

/** Splits Telegram HTML into tags and visible characters (an entity is one visible character). */
function tokens(html: string): Token[] {
  const out: Token[] = [];
  const pattern = /<(\/?)([a-zA-Z][\w-]*)[^>]*>|&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);|[\s\S]/gu;
  for (const m of html.matchAll(pattern)) {
    const raw = m[0];
    if (m[2] !== undefined) out.push({ raw, shown: "", tag: { name: m[2].toLowerCase(), closing: m[1] === "/" } });
    else if (m[3] !== undefined) out.push({ raw, shown: decodeEntity(m[3]) ?? raw });
    else out.push({ raw, shown: raw });
  }
  return out;
}

function decodeEntity(body: string): string | null {
  if (body.startsWith("#")) {
    const code = body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  return NAMED[body] ?? null;
}

/** The length Telegram counts for HTML text: UTF-16 units of what the reader sees. */
export function telegramLength(html: string): number {
  return tokens(html).reduce((n, t) => n + t.shown.length, 0);
}

/** The length Telegram counts for text sent without a parse mode. */
export const plainLength = (text: string): number => text.length;

/** Plain text within `limit` UTF-16 units, cut at a whole character and ended with "…" when it was longer. */
export function shortenPlain(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let kept = "";
  for (const ch of text) {
    if (kept.length + ch.length > limit - 1) break;
    kept += ch;
  }
  return `${kept}…`;
}

const defaultMore = (hidden: number): string => `… and ${hidden} more`;

/**
 * As many whole items (HTML, one or more lines each) as fit in `budget`, joined by `separator`, then a
 * "… and N more" line for the rest, which also fits. The list for every message that grows with the data.
 */
export function listWithin(items: readonly string[], budget: number, options: { separator?: string; more?: (hidden: number) => string } = {}): string {
  const separator = options.separator ?? "\n";
  const more = options.more ?? defaultMore;
  const sepLength = telegramLength(separator);
  const lengths = items.map(telegramLength);
  const total = lengths.reduce((n, l, i) => n + l + (i > 0 ? sepLength : 0), 0);
  if (total <= budget) return items.join(separator);
  let used = 0;
  let shown = 0;
  for (; shown < items.length; shown++) {
    const hidden = items.length - shown - 1;
    const next = used + (shown > 0 ? sepLength : 0) + (lengths[shown] ?? 0);
    const tail = hidden > 0 ? sepLength + telegramLength(more(hidden)) : 0;
    if (next + tail > budget) break;
    used = next;
  }
  const kept = items.slice(0, shown);
  return [...kept, more(items.length - shown)].join(separator);
}

/**
 * A whole message: `head`, the items that fit, and `tail`, within `limit` (a message by default).
 * Parts that are empty are left out with their separator.
 */
export function messageWithList(head: string, items: readonly string[], tail = "", options: { limit?: number; separator?: string; more?: (hidden: number) => string } = {}): string {
  const limit = options.limit ?? MESSAGE_LIMIT;
  const around = (head === "" ? 0 : telegramLength(head) + 1) + (tail === "" ? 0 : telegramLength(tail) + 1);
  const list = listWithin(items, Math.max(0, limit - around), options);
  return [head, list, tail].filter((part) => part !== "").join("\n");
}

/**
 * Text cut to fit `limit`, as a last resort: whole lines where possible, tags left open by the cut are
 * closed, and a last line says how much was left out. Text that fits comes back unchanged.
 */
export function trimToLimit(text: string, limit: number, parseMode: "HTML" | "plain" = "HTML"): string {
  const all = parseMode === "HTML" ? tokens(text) : [...text].map((ch) => ({ raw: ch, shown: ch }));
  if (all.reduce((n, t) => n + t.shown.length, 0) <= limit) return text;
  const lineCount = text.split("\n").length;
  const notice = (hiddenLines: number): string => (hiddenLines === 0 ? "… (shortened)" : `… and ${hiddenLines} more ${hiddenLines === 1 ? "line" : "lines"}`);
  // Closing tags cost nothing; the notice (and a "…" for a cut inside a line) is reserved up front.
  const budget = Math.max(0, limit - notice(lineCount).length - 2);
  let used = 0;
  let cut = 0;
  let lastLineEnd = -1;
  let linesKept = 0;
  for (let i = 0; i < all.length; i++) {
    const t = all[i] as Token;
    if (used + t.shown.length > budget) break;
    used += t.shown.length;
    cut = i + 1;
    if (t.shown === "\n") {
      lastLineEnd = i;
      linesKept++;
    }
  }
  // A single line longer than the limit is cut inside it, marked with "…".
  const midLine = lastLineEnd < 0;
  const kept = all.slice(0, midLine ? cut : lastLineEnd);
  const body = kept.map((t) => t.raw).join("") + (midLine ? "…" : "");
  const closed = parseMode === "HTML" ? closingTags(kept) : "";
  return `${body}${closed}\n${notice(lineCount - (midLine ? 1 : linesKept))}`;
}

/** Closing tags, innermost first, for the tags `kept` leaves open. */
function closingTags(kept: readonly Token[]): string {
  const open: string[] = [];
  for (const t of kept) {
    if (t.tag === undefined) continue;
    if (!t.tag.closing) open.push(t.tag.name);
    else {
      const at = open.lastIndexOf(t.tag.name);
      if (at >= 0) open.splice(at);
    }
  }
  return open.reverse().map((name) => `</${name}>`).join("");
}
