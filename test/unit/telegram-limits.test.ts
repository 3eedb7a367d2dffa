import { describe, expect, test } from "vitest";
import { listWithin, messageWithList, telegramLength, trimToLimit } from "../../src/infra/telegram/limits.js";

describe("telegramLength counts as Telegram does", () => {
  test("tags count nothing, entities count one, astral characters count two", () => {
    expect(telegramLength("<b>a&amp;b</b> &lt;i&gt; &#x41;&#66;")).toBe("a&b <i> AB".length);
    expect(telegramLength("🎬 <a href=\"https://x.y/?a=1&amp;b=2\">x</a>")).toBe(4);
  });
});

describe("listWithin", () => {
  test("everything when it fits, else whole items and a count of the rest, within the budget", () => {
    expect(listWithin(["a", "b"], 10)).toBe("a\nb");
    const items = Array.from({ length: 300 }, (_, i) => `<b>user ${i}</b> &amp; more text`);
    const out = listWithin(items, 500);
    expect(telegramLength(out)).toBeLessThanOrEqual(500);
    const shown = out.split("\n").length - 1;
    expect(out.endsWith(`… and ${300 - shown} more`)).toBe(true);
    expect(out.split("\n").slice(0, -1)).toEqual(items.slice(0, shown));
  });
  test("a whole message with head and tail stays within the limit", () => {
    const out = messageWithList("<b>head</b>", Array.from({ length: 500 }, (_, i) => `${"x".repeat(60)} ${i}`), "tail", { more: (n) => `… and ${n} more items` });
    expect(telegramLength(out)).toBeLessThanOrEqual(4096);
    expect(out.startsWith("<b>head</b>\n")).toBe(true);
    expect(out.endsWith("more items\ntail")).toBe(true);
  });
});

describe("trimToLimit, the last resort", () => {
  test("cuts on a line boundary, closes open tags and says how many lines were left out", () => {
    const text = `<pre>${Array.from({ length: 400 }, (_, i) => `line ${i} &amp; ${"y".repeat(20)}`).join("\n")}</pre>`;
    const out = trimToLimit(text, 4096);
    expect(telegramLength(out)).toBeLessThanOrEqual(4096);
    expect(out).toMatch(/<\/pre>\n… and \d+ more lines$/u);
    expect((out.match(/<pre>/gu) ?? []).length).toBe((out.match(/<\/pre>/gu) ?? []).length);
    expect(out).not.toMatch(/&[a-z]*\n|&[a-z]*$/u);
  });
  test("a single over-long line is cut inside it; a text that fits is unchanged", () => {
    const out = trimToLimit(`<i>${"z".repeat(2000)}</i>`, 1024);
    expect(telegramLength(out)).toBeLessThanOrEqual(1024);
    expect(out).toMatch(/^<i>z+…<\/i>\n… \(shortened\)$/u);
    expect(trimToLimit("short <b>x</b>", 10)).toBe("short <b>x</b>");
  });
});
