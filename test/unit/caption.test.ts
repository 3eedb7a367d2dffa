import { describe, expect, it } from "vitest";
import { captionFor, type Caption, DEFAULT_CAPTION_TEMPLATE, hashtagsOf, MAX_CAPTION, titleFrom, unknownPlaceholders } from "../../src/services/publish/caption.js";
import { postLink, routeFor } from "../../src/services/publish/routing.js";
import { templateProblem } from "../../src/services/settings/settings.js";
import { captionParams } from "../../src/infra/telegram/channel-poster.js";
import { postTextHtml } from "../../src/bot/views/post-text.js";
import { parseHtml } from "../support/telegram/format/html.js";
import { formatText } from "../support/telegram/format/formatted-text.js";
import type { Json } from "../support/telegram/json.js";

const FORMAT = { strictHtmlAmpersand: true, resolveUser: () => ({}) };
/** The caption as Telegram keeps it from what the channel poster sends (its text and caption entities), and the bold runs. */
const kept = (caption: Caption): { text: string; bold: string[] } => {
  const params = captionParams(caption);
  const parsed = formatText(params.caption, undefined, params.caption_entities as unknown as Json, FORMAT);
  return { text: parsed.text, bold: parsed.entities.filter((e) => e.type === "bold").map((e) => parsed.text.slice(e.offset, e.offset + e.length)) };
};
const visible = (caption: Caption): string => kept(caption).text;
/** As the bot shows a caption inside a chat message (the template's sample): the text left after parsing its HTML (strictly: a bare & is an error). */
const shownInChat = (caption: Caption): string => parseHtml(postTextHtml(caption), { strictAmpersand: true, resolveUser: () => ({}) }).text.trim();
const facts = (over: Partial<Parameters<typeof captionFor>[0]> = {}): Parameters<typeof captionFor>[0] =>
  ({ fileName: "JEE-Adv_Phy-ElectroStatics_L04.mp4", category: "JEE Advanced", tags: ["physics", "electrostatics"], durationS: 3723, ...over });

describe("captions", () => {
  it("title from the file name, then the category's and the tags' hashtags", () => {
    expect(titleFrom("JEE-Adv_Phy-ElectroStatics_L04.mp4")).toBe("JEE Adv Phy ElectroStatics L04");
    expect(titleFrom("Class 12 - Organic.ts")).toBe("Class 12 - Organic");
    const caption = captionFor(facts());
    expect(caption.text).toBe("JEE Adv Phy ElectroStatics L04\n#JEE_Advanced #physics #electrostatics");
    expect(caption.bold).toEqual([{ offset: 0, length: 30 }]);
    expect(kept(caption)).toEqual({ text: "JEE Adv Phy ElectroStatics L04\n#JEE_Advanced #physics #electrostatics", bold: ["JEE Adv Phy ElectroStatics L04"] });
    expect(postTextHtml(caption)).toBe("<b>JEE Adv Phy ElectroStatics L04</b>\n#JEE_Advanced #physics #electrostatics");
  });

  it("makes hashtags Telegram accepts, without duplicates (Telegram compares them case-insensitively)", () => {
    expect(hashtagsOf("Physics", ["physics", "sci-fi", "2024", "Class 12", "ÉLECTRO", "électro", "—"])).toEqual({
      category: "#Physics", tags: ["#sci_fi", "#tag_2024", "#Class_12", "#ÉLECTRO"],
    });
  });

  it("keeps file names and tags as they are (nothing to escape in caption entities), shows them escaped in chat, and is the same every time", () => {
    const odd = facts({ fileName: "Q&A <live> \"final\" 🎓.mp4", tags: ["a&b", "<script>"], category: null });
    const caption = captionFor(odd);
    expect(kept(caption)).toEqual({ text: "Q&A <live> \"final\" 🎓\n#a_b #script", bold: ["Q&A <live> \"final\" 🎓"] });
    expect(postTextHtml(caption)).toBe("<b>Q&amp;A &lt;live&gt; &quot;final&quot; 🎓</b>\n#a_b #script");
    expect(shownInChat(caption)).toBe(caption.text);
    expect(captionFor(odd)).toEqual(caption);
    // The marks that carry bold while the caption is tidied cannot come in with a file name.
    expect(kept(captionFor(facts({ fileName: "a\u0001b\u0002c.mp4", tags: [], category: null })))).toEqual({ text: "abc", bold: ["abc"] });
  });

  it("stays within 1024 characters after entity parsing by dropping tags from the end", () => {
    const tags = Array.from({ length: 120 }, (_, i) => `topic_number_${String(i).padStart(3, "0")}_extra`);
    const caption = captionFor(facts({ tags }));
    const text = visible(caption);
    expect(text.length).toBeLessThanOrEqual(MAX_CAPTION);
    expect(caption.plainLength).toBe(text.length);
    expect(caption.droppedTags).toBeGreaterThan(50);
    expect(text).toContain("#topic_number_000_extra");
    expect(text).not.toContain("#topic_number_119_extra");
    // One more tag would not have fitted.
    const kept = 120 - caption.droppedTags;
    expect(captionFor(facts({ tags: tags.slice(0, kept + 1) })).droppedTags).toBe(1);
    expect(captionFor(facts({ tags: tags.slice(0, kept) })).droppedTags).toBe(0);
  });

  it("counts escaped characters once and UTF-16 units as Telegram does", () => {
    const tags = Array.from({ length: 400 }, (_, i) => `😀&${i}`);
    const caption = captionFor(facts({ fileName: "&&&&.mp4", tags }));
    expect(visible(caption).length).toBeLessThanOrEqual(MAX_CAPTION);
    expect(caption.plainLength).toBe(visible(caption).length);
    expect(postTextHtml(caption).length).toBeGreaterThan(shownInChat(caption).length);
    expect(shownInChat(caption)).toBe(caption.text);
  });

  it("shortens the title only when nothing else fits, and uses the template's placeholders", () => {
    const long = captionFor(facts({ fileName: `${"Very long title ".repeat(100)}.mp4` }), "{title}");
    expect(visible(long).length).toBeLessThanOrEqual(MAX_CAPTION);
    expect(visible(long).endsWith("…")).toBe(true);
    const custom = captionFor(facts(), "{title} ({duration})\nCategory: {category}\nTags: {tags}\n{file}");
    expect(visible(custom)).toBe("JEE Adv Phy ElectroStatics L04 (1:02:03)\nCategory: JEE Advanced\nTags: physics, electrostatics\nJEE-Adv_Phy-ElectroStatics_L04.mp4");
    expect(visible(captionFor(facts({ category: null, tags: [] }), DEFAULT_CAPTION_TEMPLATE))).toBe("JEE Adv Phy ElectroStatics L04");
  });

  it("refuses templates with unknown placeholders or nothing in them", () => {
    expect(unknownPlaceholders("{title} {tilte} {tags}")).toEqual(["tilte"]);
    expect(templateProblem("{title} {tilte}")).toBe("unknown placeholder: {tilte}");
    expect(templateProblem("   ")).toBe("the template is empty");
    expect(templateProblem(DEFAULT_CAPTION_TEMPLATE)).toBeNull();
  });
});

describe("routing", () => {
  const students = { id: 1, chatId: -1001, title: "Physics (students)", username: "phys", audience: "students" };
  const staff = { id: 2, chatId: -1002, title: "Staff room", username: null, audience: "staff" };
  it("goes to the category's channel only when the audiences are equal", () => {
    expect(routeFor({ mediaKind: "video", category: { id: 1, name: "Physics", audience: "students" }, channel: students })).toEqual({ ok: true, channel: students });
    expect(routeFor({ mediaKind: "video", category: null, channel: null })).toMatchObject({ ok: false, kind: "no-category" });
    expect(routeFor({ mediaKind: "video", category: { id: 1, name: "Physics", audience: "students" }, channel: null })).toMatchObject({ ok: false, kind: "no-channel" });
    expect(routeFor({ mediaKind: "video", category: { id: 2, name: "Exams", audience: "staff" }, channel: students })).toMatchObject({ ok: false, kind: "audience-mismatch" });
    expect(routeFor({ mediaKind: "video", category: { id: 1, name: "Physics", audience: "students" }, channel: staff })).toMatchObject({ ok: false, kind: "audience-mismatch" });
  });

  it("never sends an audio-only recording, whatever its category and channel", () => {
    expect(routeFor({ mediaKind: "audio", category: { id: 1, name: "Physics", audience: "students" }, channel: students }))
      .toEqual({ ok: false, kind: "audio-only", reason: "it is audio only: channels get videos, so it is not posted" });
  });

  it("links posts of public and private channels", () => {
    expect(postLink(students, 42)).toBe("https://t.me/phys/42");
    expect(postLink({ chatId: -1001234567890, username: null }, 7)).toBe("https://t.me/c/1234567890/7");
  });
});
