// The few SVG pieces the charts are made of. Every text goes through `escapeXml`: channel titles come from
// Telegram and may hold <, &, quotes, emoji or control characters.

export type Rgb = readonly [number, number, number];

/** "#1f77b4" for [31, 119, 180]. */
export const hex = (rgb: Rgb): string => `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;

// XML 1.0 forbids these characters even as references; a lone surrogate would not survive UTF-8 either.
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text made safe as SVG character data or an attribute value: one line, escaped, without characters XML forbids. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, "").replace(/\s+/g, " ").replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

const graphemes = (text: string): string[] => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)].map((s) => s.segment);

// A generous guess at a glyph's advance in DejaVu Sans, in ems: the legend cuts names before they overflow.
function advance(grapheme: string): number {
  const code = grapheme.codePointAt(0) ?? 0;
  if (code >= 0x2e80) return 1.05; // CJK, emoji and other wide signs
  if (/[A-Z@%&MWmw]/.test(grapheme)) return 0.8;
  if (/[ .,:;'|!iIl1jtf()[\]]/.test(grapheme)) return 0.4;
  return 0.64;
}

/** The estimated width of a line of text at this font size, in pixels. */
export const textWidth = (text: string, size: number): number => graphemes(text).reduce((sum, g) => sum + advance(g) * size, 0);

/** The text cut (at whole characters, emoji included) with "…" so that it fits in `width` pixels. */
export function fitText(text: string, width: number, size: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (textWidth(line, size) <= width) return line;
  let kept = "";
  for (const g of graphemes(line)) {
    if (textWidth(`${kept}${g}…`, size) > width) break;
    kept += g;
  }
  return `${kept.trimEnd()}…`;
}

export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly anchor?: "start" | "middle" | "end";
  readonly fill: string;
}

/** A line of text with its baseline at y. */
export function svgText(x: number, y: number, content: string, style: TextStyle): string {
  const weight = style.bold === true ? ` font-weight="bold"` : "";
  const anchor = style.anchor !== undefined && style.anchor !== "start" ? ` text-anchor="${style.anchor}"` : "";
  return `<text x="${x}" y="${y}" font-size="${style.size}"${weight}${anchor} fill="${style.fill}">${escapeXml(content)}</text>`;
}

/** A filled rectangle with crisp edges (so each bar is exactly its colour, pixel for pixel). */
export function svgRect(x: number, y: number, width: number, height: number, fill: string): string {
  return `<rect x="${x}" y="${y}" width="${Math.max(0, width)}" height="${Math.max(0, height)}" fill="${fill}" shape-rendering="crispEdges"/>`;
}
