/** Decodes `&lt;` `&gt;` `&amp;` `&quot;` and numeric references exactly where tdlib does. */
export function decodeHtmlEntity(text: string, pos: number): { char: string; end: number } | undefined {
  let end = pos + 1;
  let code: number;
  if (text[end] === "#") {
    end++;
    const hex = text[end] === "x";
    if (hex) end++;
    const start = end;
    while (end < text.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(text[end] ?? "")) end++;
    if (end === start || end - pos >= 10) return undefined;
    code = Number.parseInt(text.slice(start, end), hex ? 16 : 10);
    // surrogate halves would produce invalid UTF-16 text
    if (code === 0 || code >= 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  } else {
    while (end < text.length && /[a-zA-Z]/.test(text[end] ?? "")) end++;
    const named = NAMED[text.slice(pos + 1, end)];
    if (named === undefined) return undefined;
    code = named;
  }
  if (text[end] === ";") end++; // tdlib also accepts a missing semicolon
  return { char: String.fromCodePoint(code), end };
}

const NAMED: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };

/** tdlib's is_space also stops at the terminating NUL, which `at()` returns past the end. */
export function isHtmlSpace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n" || ch === "\v" || ch === "\0";
}
