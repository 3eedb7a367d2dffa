import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { NEW_CATEGORY, describeCategoryProblem } from "../conversations/new-category.js";
import { html } from "../format.js";
import { formatCount } from "../../services/units.js";
import { EXPIRED, pressed, send, showInPlace, who, actorOf } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import { addPager, pageContaining, pageNote, pageOf } from "../views/paging.js";

export const CATEGORIES = "c";
export const categoriesFeature = new Composer<BotContext>();

/** The list of categories, a page of buttons at a time (`c:l:<page>`). */
async function listView(ctx: BotContext, page = 0): Promise<View> {
  const { categories } = ctx.deps.services;
  const [list, usage] = [await categories.list(), await categories.usage()];
  const shown = pageOf(list, page);
  const keyboard = new InlineKeyboard();
  for (const c of shown.items) keyboard.text(label(`${c.name} — ${c.audience} (${formatCount(usage.get(c.id) ?? 0)})`, 50), encodeCallback(CATEGORIES, "o", c.id)).row();
  addPager(keyboard, shown, (p) => encodeCallback(CATEGORIES, "l", p));
  keyboard.text("➕ New category", encodeCallback(CATEGORIES, "n", 0));
  const text = list.length === 0
    ? "There are no categories yet."
    : `📂 <b>Categories (${formatCount(list.length)})</b>${pageNote(shown)}: name — audience (videos). Tap one to rename or delete it.`;
  return { text, keyboard };
}

function categoryView(category: { id: number; name: string; audience: string; reviewFirst: boolean }, used: number, listPage: number): View {
  const review = category.reviewFirst
    ? "\n🔍 Review first: <b>on</b>. Its uploads go to the review chat as drafts; an admin approves (then it is posted) or rejects them."
    : "\nReview first: off. Its uploads are posted directly.";
  return {
    text: html`📂 ${category.name}: audience ${category.audience}, ${formatCount(used)} videos.` + review,
    keyboard: new InlineKeyboard().text("✏️ Rename", encodeCallback(CATEGORIES, "r", category.id)).text("🗑 Delete", encodeCallback(CATEGORIES, "d", category.id)).row()
      .text(category.reviewFirst ? "🔍 Review first: on → turn off" : "🔍 Review first: off → turn on", encodeCallback(CATEGORIES, "v", category.id)).row()
      .text("← Categories", encodeCallback(CATEGORIES, "l", listPage)),
  };
}

categoriesFeature.command("newcategory", async (ctx) => {
  await ctx.conversation.enter(NEW_CATEGORY);
});

categoriesFeature.command("categories", async (ctx) => {
  await send(ctx, await listView(ctx));
});

/** A new name typed for a category. */
export async function onTypedCategoryName(ctx: BotContext, categoryId: number, text: string): Promise<void> {
  const result = await ctx.deps.services.categories.rename(categoryId, text, actorOf(ctx));
  if (result.ok) {
    await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
    await ctx.reply(html`Renamed to ${result.category.name}. Its audience is still ${result.category.audience}.`, { parse_mode: "HTML" });
  } else if (result.problem.kind === "missing") {
    await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
    await ctx.reply("That category no longer exists. /categories lists them.");
  } else {
    await ctx.reply(describeCategoryProblem(result.problem), { parse_mode: "HTML" });
  }
}

categoriesFeature.callbackQuery(/^c:/, async (ctx) => {
  const button = pressed(ctx, CATEGORIES);
  const [id, target] = button?.ids ?? [];
  const { categories, chat } = ctx.deps.services;
  if (button === null || id === undefined) {
    await ctx.answerCallbackQuery({ text: EXPIRED });
    return;
  }
  await ctx.answerCallbackQuery();
  if (button.data.verb === "n") {
    await ctx.conversation.enter(NEW_CATEGORY);
    return;
  }
  if (button.data.verb === "l") return void (await showInPlace(ctx, await listView(ctx, id)));
  const category = await categories.byId(id);
  if (category === null) return void (await showInPlace(ctx, { text: "That category no longer exists.", keyboard: new InlineKeyboard().text("← Categories", encodeCallback(CATEGORIES, "l", 0)) }));
  // Back to the page of the list that shows this category.
  const listPage = pageContaining((await categories.list()).findIndex((c) => c.id === category.id));
  const back = new InlineKeyboard().text("← Categories", encodeCallback(CATEGORIES, "l", listPage));
  const used = (await categories.usage()).get(category.id) ?? 0;
  const actor = actorOf(ctx);
  switch (button.data.verb) {
    case "o":
      await showInPlace(ctx, categoryView(category, used, listPage));
      return;
    case "v": {
      const changed = await categories.setReviewFirst(category.id, !category.reviewFirst, actor);
      await showInPlace(ctx, changed === null ? { text: "That category no longer exists.", keyboard: back } : categoryView(changed, used, listPage));
      return;
    }
    case "r":
      await chat.setPrompt(who(ctx).chatId, { kind: "rename-category", categoryId: category.id });
      await ctx.reply(html`Send the new name for ${category.name}, or /cancel.`, { parse_mode: "HTML" });
      return;
    case "d": {
      if (used === 0) {
        await showInPlace(ctx, { text: html`Delete ${category.name}? No video uses it.`,
          keyboard: new InlineKeyboard().text("🗑 Yes, delete it", encodeCallback(CATEGORIES, "D", category.id)).text("Cancel", encodeCallback(CATEGORIES, "l", listPage)) });
        return;
      }
      // `c:d:<id>:<page>`: the other categories, a page at a time.
      const others = pageOf((await categories.list()).filter((c) => c.id !== category.id), target ?? 0);
      const keyboard = new InlineKeyboard();
      for (const other of others.items) {
        keyboard.text(label(`→ ${other.name} (${other.audience})`), encodeCallback(CATEGORIES, "m", category.id, other.id)).row();
      }
      addPager(keyboard, others, (p) => encodeCallback(CATEGORIES, "d", category.id, p));
      keyboard.text("→ No category", encodeCallback(CATEGORIES, "m", category.id, 0)).row().text("Cancel", encodeCallback(CATEGORIES, "l", listPage));
      await showInPlace(ctx, { text: html`${formatCount(used)} ${used === 1 ? "video is" : "videos are"} in ${category.name}. Choose where they go; then the category is deleted.` + pageNote(others), keyboard });
      return;
    }
    case "D":
    case "m": {
      const moveTo = button.data.verb === "D" ? undefined : target === 0 ? null : target;
      const result = await categories.delete(category.id, actor, moveTo);
      const text = result.kind === "deleted"
        ? html`Deleted ${category.name}.` + (result.moved > 0 ? ` ${formatCount(result.moved)} videos were moved.` : "")
        : result.kind === "in-use" ? html`${category.name} is in use by ${formatCount(result.videos)} videos; choose where they go first.` : "That category no longer exists.";
      await showInPlace(ctx, { text, keyboard: back });
      return;
    }
    default:
      await ctx.reply(EXPIRED);
  }
});
