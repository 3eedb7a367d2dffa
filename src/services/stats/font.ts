import type { Raster } from "./png.js";

// A 5×7 bitmap font (rows top to bottom, 5 bits each) for chart labels: digits, Latin capitals and a few
// signs. Other characters are drawn as "?"; lower case is drawn as capitals.
const GLYPHS: Readonly<Record<string, readonly number[]>> = {
  "0": [14, 17, 19, 21, 25, 17, 14], "1": [4, 12, 4, 4, 4, 4, 14], "2": [14, 17, 1, 2, 4, 8, 31], "3": [31, 2, 4, 2, 1, 17, 14],
  "4": [2, 6, 10, 18, 31, 2, 2], "5": [31, 16, 30, 1, 1, 17, 14], "6": [6, 8, 16, 30, 17, 17, 14], "7": [31, 1, 2, 4, 8, 8, 8],
  "8": [14, 17, 17, 14, 17, 17, 14], "9": [14, 17, 17, 15, 1, 2, 12],
  A: [14, 17, 17, 17, 31, 17, 17], B: [30, 17, 17, 30, 17, 17, 30], C: [14, 17, 16, 16, 16, 17, 14], D: [28, 18, 17, 17, 17, 18, 28],
  E: [31, 16, 16, 30, 16, 16, 31], F: [31, 16, 16, 30, 16, 16, 16], G: [14, 17, 16, 23, 17, 17, 15], H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14], J: [7, 2, 2, 2, 2, 18, 12], K: [17, 18, 20, 24, 20, 18, 17], L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17], N: [17, 17, 25, 21, 19, 17, 17], O: [14, 17, 17, 17, 17, 17, 14], P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13], R: [30, 17, 17, 30, 20, 18, 17], S: [15, 16, 16, 14, 1, 1, 30], T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14], V: [17, 17, 17, 17, 17, 10, 4], W: [17, 17, 17, 21, 21, 21, 10], X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 17, 10, 4, 4, 4], Z: [31, 1, 2, 4, 8, 16, 31],
  " ": [0, 0, 0, 0, 0, 0, 0], "-": [0, 0, 0, 31, 0, 0, 0], ":": [0, 12, 12, 0, 12, 12, 0], ".": [0, 0, 0, 0, 0, 12, 12],
  "/": [0, 1, 2, 4, 8, 16, 0], "(": [2, 4, 8, 8, 8, 4, 2], ")": [8, 4, 2, 2, 2, 4, 8], "#": [10, 10, 31, 10, 31, 10, 10],
  "?": [14, 17, 1, 2, 4, 0, 4], _: [0, 0, 0, 0, 0, 0, 31], "+": [0, 4, 4, 31, 4, 4, 0], ",": [0, 0, 0, 0, 12, 4, 8],
  "%": [24, 25, 2, 4, 8, 19, 3],
};

/** Width in pixels of text drawn at this scale. */
export function textWidth(text: string, scale: number): number {
  return [...text].length * 6 * scale - scale;
}

/** Draws text with its top-left corner at (x, y). */
export function drawText(raster: Raster, text: string, x: number, y: number, scale: number, colour: readonly [number, number, number]): void {
  let left = x;
  for (const ch of text.toUpperCase()) {
    const glyph = GLYPHS[ch] ?? GLYPHS["?"] ?? [];
    glyph.forEach((bits, row) => {
      for (let col = 0; col < 5; col++) {
        if ((bits >> (4 - col)) & 1) raster.fill(left + col * scale, y + row * scale, scale, scale, colour);
      }
    });
    left += 6 * scale;
  }
}
