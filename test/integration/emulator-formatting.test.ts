import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { TelegramEmulator } from "../support/telegram/index.js";
import { startEmulatorWithAlice, failureOf } from "../support/emulator-fixture.js";

let emu: TelegramEmulator;
let api: Api;
const CHAT = 1001;

beforeEach(async () => {
  ({ emu, api } = await startEmulatorWithAlice());
});
afterEach(async () => emu.stop());

const html = (text: string) => api.sendMessage(CHAT, text, { parse_mode: "HTML" });
const md2 = (text: string) => api.sendMessage(CHAT, text, { parse_mode: "MarkdownV2" });

describe("HTML parse mode", () => {
  test("tags become entities with UTF-16 offsets", async () => {
    const sent = await html("😀 <b>bold <i>both</i></b> <u>u</u> <s>s</s> <tg-spoiler>sp</tg-spoiler> <code>c</code>");
    expect(sent.text).toBe("😀 bold both u s sp c");
    expect(sent.entities).toEqual([
      { type: "bold", offset: 3, length: 9 },
      { type: "italic", offset: 8, length: 4 },
      { type: "underline", offset: 13, length: 1 },
      { type: "strikethrough", offset: 15, length: 1 },
      { type: "spoiler", offset: 17, length: 2 },
      { type: "code", offset: 20, length: 1 },
    ]);
  });

  test("links, mentions, pre with language, quotes and custom emoji", async () => {
    const sent = await html(
      '<a href="https://example.com">site</a> <a href="tg://user?id=1001">Alice</a>\n' +
        '<pre><code class="language-python">x = 1</code></pre><blockquote expandable>q</blockquote>' +
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    );
    expect(sent.text).toBe("site Alice\nx = 1q👍");
    expect(sent.entities).toEqual([
      { type: "text_link", offset: 0, length: 4, url: "https://example.com/" },
      { type: "text_mention", offset: 5, length: 5, user: { id: 1001, is_bot: false, first_name: "Alice", username: "alice" } },
      { type: "pre", offset: 11, length: 5, language: "python" },
      { type: "expandable_blockquote", offset: 16, length: 1 },
      { type: "custom_emoji", offset: 17, length: 2, custom_emoji_id: "5368324170671202286" },
    ]);
  });

  test("HTML entities are decoded", async () => {
    const sent = await html("&lt;tag&gt; &amp; &quot;q&quot; &#65;&#x1F600;");
    expect(sent.text).toBe('<tag> & "q" A😀');
    expect(sent.entities).toBeUndefined();
  });

  test("errors carry tdlib's texts and byte offsets", async () => {
    const cases: Array<[string, string]> = [
      ['abc<foo>x</foo>', 'Unsupported start tag "foo" at byte offset 3'],
      ["<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'],
      ["<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
      ["x</b>", "Unexpected end tag at byte offset 1"],
      ["1 < 2", 'Unsupported start tag "" at byte offset 2'],
      ["é<foo>", 'Unsupported start tag "foo" at byte offset 2'],
      ['<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
      ["<b", "Unclosed start tag at byte offset 0"],
      ['Tom & Jerry', 'Unescaped "&" at byte offset 4; it must be written as "&amp;"'],
    ];
    for (const [text, message] of cases) {
      expect(await failureOf(html(text)), text).toBe(`Bad Request: can't parse entities: ${message}`);
    }
    expect(emu.violations).toHaveLength(cases.length);
  });

  test("a bare & passes when strictHtmlAmpersand is off, as on real Telegram", async () => {
    const lenient = await TelegramEmulator.start({ strictHtmlAmpersand: false });
    try {
      lenient.user({ id: CHAT, firstName: "Alice" });
      const sent = await new Api(lenient.token, { apiRoot: lenient.apiRoot }).sendMessage(CHAT, "Tom & Jerry", { parse_mode: "HTML" });
      expect(sent.text).toBe("Tom & Jerry");
    } finally {
      await lenient.stop();
    }
  });

  test("an unknown parse_mode is refused", async () => {
    expect(await failureOf(api.sendMessage(CHAT, "x", { parse_mode: "BBCode" as never }))).toBe("Bad Request: unsupported parse_mode");
  });
});

describe("MarkdownV2 parse mode", () => {
  test("entities, escapes and UTF-16 offsets", async () => {
    const sent = await md2("😀 *bold _both_* __u__ ~s~ ||sp|| `c` [site](https://example.com) 1\\.5\\!");
    expect(sent.text).toBe("😀 bold both u s sp c site 1.5!");
    expect(sent.entities).toEqual([
      { type: "bold", offset: 3, length: 9 },
      { type: "italic", offset: 8, length: 4 },
      { type: "underline", offset: 13, length: 1 },
      { type: "strikethrough", offset: 15, length: 1 },
      { type: "spoiler", offset: 17, length: 2 },
      { type: "code", offset: 20, length: 1 },
      { type: "text_link", offset: 22, length: 4, url: "https://example.com/" },
    ]);
  });

  test("pre blocks with a language and block quotes", async () => {
    const sent = await md2("```python\nprint(1)\n```\n>quoted\n>more\nafter");
    expect(sent.text).toBe("print(1)\n\nquoted\nmore\nafter");
    expect(sent.entities).toEqual([
      { type: "pre", offset: 0, length: 9, language: "python" },
      { type: "blockquote", offset: 10, length: 12 },
    ]);
    const expandable = await md2("**>hidden\n>lines||");
    expect(expandable.entities).toEqual([{ type: "expandable_blockquote", offset: 0, length: 12 }]);
  });

  test("errors carry tdlib's texts", async () => {
    const cases: Array<[string, string]> = [
      ["Version 1.5", "Character '.' is reserved and must be escaped with the preceding '\\'"],
      ["*bold", "Can't find end of Bold entity at byte offset 0"],
      ["ok _it", "Can't find end of Italic entity at byte offset 3"],
      ["[x](https://example.com", "Can't find end of a URL at byte offset 4"],
      ["a | b", "Character '|' is reserved and must be escaped with the preceding '\\'"],
    ];
    for (const [text, message] of cases) {
      expect(await failureOf(md2(text)), text).toBe(`Bad Request: can't parse entities: ${message}`);
    }
  });
});

describe("legacy Markdown parse mode", () => {
  test("entities and the unclosed-entity error", async () => {
    const sent = await api.sendMessage(CHAT, "*bold* _it_ `c` [site](https://example.com/a_b)", { parse_mode: "Markdown" });
    expect(sent.text).toBe("bold it c site");
    expect(sent.entities).toEqual([
      { type: "bold", offset: 0, length: 4 },
      { type: "italic", offset: 5, length: 2 },
      { type: "code", offset: 8, length: 1 },
      { type: "text_link", offset: 10, length: 4, url: "https://example.com/a_b" },
    ]);
    expect(await failureOf(api.sendMessage(CHAT, "snake_case", { parse_mode: "Markdown" }))).toBe(
      "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 5",
    );
  });

  test("MarkdownV2 link targets honour escapes", async () => {
    const sent = await md2("[x](https://example.com/a\\)b)");
    expect(sent.entities).toEqual([{ type: "text_link", offset: 0, length: 1, url: "https://example.com/a)b" }]);
  });
});

describe("length limits count the text after parsing", () => {
  test("4096 plain characters pass, 4097 fail", async () => {
    await expect(api.sendMessage(CHAT, "a".repeat(4096))).resolves.toMatchObject({ text: "a".repeat(4096) });
    expect(await failureOf(api.sendMessage(CHAT, "a".repeat(4097)))).toBe("Bad Request: message is too long");
    expect(emu.violations.map((v) => v.message)).toEqual(["Bad Request: message is too long"]);
  });

  test("5000 characters of which markup leaves 4096 visible pass", async () => {
    const text = "&amp;".repeat(226) + "a".repeat(3870);
    expect(text).toHaveLength(5000);
    const sent = await html(text);
    expect(sent.text).toHaveLength(4096);
    expect(await failureOf(html(text + "b"))).toBe("Bad Request: message is too long");
  });

  test("length is counted in UTF-16 code units", async () => {
    await expect(api.sendMessage(CHAT, "😀".repeat(2048))).resolves.toBeDefined();
    expect(await failureOf(api.sendMessage(CHAT, "😀".repeat(2048) + "a"))).toBe("Bad Request: message is too long");
  });

  test("text that is empty after parsing and trimming is refused", async () => {
    expect(await failureOf(html("<b> </b>\n"))).toBe("Bad Request: message text is empty");
    const trimmed = await html("  <b>x</b>  ");
    expect(trimmed.text).toBe("x");
    expect(trimmed.entities).toEqual([{ type: "bold", offset: 0, length: 1 }]);
  });

  test("captions: 1024 after parsing pass, 1025 fail", async () => {
    const url = "https://example.com/photo.jpg";
    await expect(api.sendPhoto(CHAT, url, { caption: "<i>" + "c".repeat(1024) + "</i>", parse_mode: "HTML" })).resolves.toBeDefined();
    expect(await failureOf(api.sendPhoto(CHAT, url, { caption: "c".repeat(1025) }))).toBe("Bad Request: message caption is too long");
  });

  test("detected entities: commands, mentions, hashtags and links", async () => {
    const sent = await api.sendMessage(CHAT, "Try /help or @vidlib_test_bot #physics https://example.com/x.");
    expect(sent.entities).toEqual([
      { type: "bot_command", offset: 4, length: 5 },
      { type: "mention", offset: 13, length: 16 },
      { type: "hashtag", offset: 30, length: 8 },
      { type: "url", offset: 39, length: 21 },
    ]);
  });
});
