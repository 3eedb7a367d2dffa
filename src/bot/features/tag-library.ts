import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { html } from "../format.js";
import { hashtagFor } from "../../services/catalog/tag-names.js";
import { formatCount } from "../../services/units.js";
import { EXPIRED, pressed, send, showInPlace, who, actorOf } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import { describeTagProblem } from "./video-card.js";

export const TAGS = "t";
const PAGE_SIZE = 20;

export const tagLibraryFeature = new Composer<BotContext>();

async function libraryView(ctx: BotContext, page: number): Promise<View> {
  const { tags, total } = await ctx.deps.services.catalog.listTags(page * PAGE_SIZE, PAGE_SIZE);
  const keyboard = new InlineKeyboard();
  tags.forEach((t, i) => {
    keyboard.text(label(`${t.name} (${formatCount(t.uses)})`, 30), encodeCallback(TAGS, "o", t.id, page));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row();
  if (page > 0) keyboard.text("‹ Previous", encodeCallback(TAGS, "p", page - 1));
  if ((page + 1) * PAGE_SIZE < total) keyboard.text("Next ›", encodeCallback(TAGS, "p", page + 1));
  const text = total === 0
    ? "There are no tags yet. Open a video's card and tap Tags to add some."
    : `🏷 <b>${formatCount(total)} tags</b>, most used first. Tap one to rename it or merge it into another.`;
  return { text, keyboard };
}

function tagView(tag: { id: number; name: string; uses: number }, page: number): View {
  return {
    text: html`🏷 ${tag.name}: on ${formatCount(tag.uses)} videos; in captions it becomes ${hashtagFor(tag.name) || "no hashtag"}.` +
      "\n\nRename it with the button below. Renaming it to the name of another tag merges the two.",
    keyboard: new InlineKeyboard().text("✏️ Rename or merge", encodeCallback(TAGS, "r", tag.id)).row().text("← All tags", encodeCallback(TAGS, "p", page)),
  };
}

/** A new name typed for a tag: renames it everywhere, or merges it into the tag that already has that name. */
export async function onTypedTagName(ctx: BotContext, tagId: number, text: string): Promise<void> {
  const outcome = await ctx.deps.services.catalog.renameTag(tagId, text, actorOf(ctx));
  switch (outcome.kind) {
    case "renamed":
      await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
      await ctx.reply(html`Renamed to ${outcome.tag.name} on every video.`, { parse_mode: "HTML" });
      return;
    case "merged":
      await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
      await ctx.reply(html`Merged into ${outcome.into.name}: ${formatCount(outcome.videos)} videos now carry it.`, { parse_mode: "HTML" });
      return;
    case "unchanged":
      await ctx.reply("That is already its name. Send a different one, or /cancel.");
      return;
    case "missing":
      await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
      await ctx.reply("That tag no longer exists (someone merged or renamed it). /tags lists the tags.");
      return;
    case "invalid":
      await ctx.reply(`${describeTagProblem(outcome.problem)} Send another name, or /cancel.`, { parse_mode: "HTML" });
  }
}

tagLibraryFeature.command("tags", async (ctx) => {
  await send(ctx, await libraryView(ctx, 0));
});

tagLibraryFeature.callbackQuery(/^t:/, async (ctx) => {
  const button = pressed(ctx, TAGS);
  const [first, page = 0] = button?.ids ?? [];
  if (button === null || first === undefined) {
    await ctx.answerCallbackQuery({ text: EXPIRED });
    return;
  }
  if (button.data.verb === "p") {
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, await libraryView(ctx, first));
    return;
  }
  const tag = await ctx.deps.services.catalog.tag(first);
  if (tag === null) {
    await ctx.answerCallbackQuery({ text: "That tag no longer exists." });
    return;
  }
  await ctx.answerCallbackQuery();
  if (button.data.verb === "o") await showInPlace(ctx, tagView(tag, page));
  else if (button.data.verb === "r") {
    await ctx.deps.services.chat.setPrompt(who(ctx).chatId, { kind: "rename-tag", tagId: tag.id });
    await ctx.reply(html`Send the new name for ${tag.name} (or the name of a tag to merge it into), or /cancel.`, { parse_mode: "HTML" });
  }
});
