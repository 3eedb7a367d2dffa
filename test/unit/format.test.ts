import { expect, test } from "vitest";
import { escapeHtml, html } from "../../src/infra/telegram/html.js";

test("HTML escaping covers Telegram's reserved characters and nothing else", () => {
  expect(escapeHtml(`JEE <Adv> & "Phy" _L04_ *bold* 🎬`)).toBe("JEE &lt;Adv&gt; &amp; &quot;Phy&quot; _L04_ *bold* 🎬");
});

test("the html tag escapes values but not the template", () => {
  expect(html`<b>${"a<b>&c"}</b> ${42}`).toBe("<b>a&lt;b&gt;&amp;c</b> 42");
});
