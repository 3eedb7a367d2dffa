import { byteOffset, FormatError } from "./entity.js";

/**
 * Reads a MarkdownV2 link target starting after "(", honouring `\)` and `\\`
 * escapes; returns the URL and the index after the closing ")".
 */
export function readEscapedUrl(src: string, begin: number): { url: string; next: number } {
  let i = begin;
  let url = "";
  while (i < src.length && src[i] !== ")") {
    const code = (src[i + 1] ?? "\0").charCodeAt(0);
    if (src[i] === "\\" && code > 0 && code <= 126) {
      url += src[i + 1] ?? "";
      i += 2;
    } else url += src[i++] ?? "";
  }
  if (src[i] !== ")") throw new FormatError(`Can't find end of a URL at byte offset ${byteOffset(src, begin)}`);
  return { url, next: i + 1 };
}
