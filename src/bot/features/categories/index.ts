import { Composer, type InlineKeyboard } from "grammy";
import { createConversation } from "@grammyjs/conversations";
import { z } from "zod";
import type { BotContext, ConversationContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton, type ButtonContext } from "../../callback-data/on-button.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import { html } from "../../format.js";
import { formatCount } from "../../../services/shared/units.js";
import type { Category } from "../../../entities/category.js";
import type { CategoryService } from "../../../services/catalog/categories.js";
import { actorOf, send, showInPlace } from "../../views/respond.js";
import { pageContaining, pageOf } from "../../views/paging.js";
import type { View } from "../../views/view.js";
import { AUDIENCE_BUTTONS, CATEGORY_BUTTONS } from "./buttons.js";
import { createNewCategoryConversation, NEW_CATEGORY } from "./new-category.js";
import { backToList, categoryView, confirmDeleteView, describeCategoryProblem, listView, moveVideosView } from "./views.js";

/** A category a button is about, with where it is in the list and how many videos it has. */
interface Opened { readonly category: Category; readonly listPage: number; readonly back: InlineKeyboard; readonly used: number }

/** A new name typed for a category. */
function renamePrompt(categories: CategoryService) {
  return definePrompt("rename-category", z.object({ categoryId: z.number().int() }), async (ctx, { categoryId }, text) => {
    const result = await categories.rename(categoryId, text, actorOf(ctx));
    if (result.ok) {
      await ctx.prompt.clear();
      await ctx.reply(html`Renamed to ${result.category.name}. Its audience is still ${result.category.audience}.`);
    } else if (result.problem.kind === "missing") {
      await ctx.prompt.clear();
      await ctx.reply("That category no longer exists. /categories lists them.");
    } else {
      await ctx.reply(describeCategoryProblem(result.problem));
    }
  });
}

async function deleteText(categories: CategoryService, category: Category, moveTo: number | null | undefined, ctx: ButtonContext): Promise<string> {
  const result = await categories.delete(category.id, actorOf(ctx), moveTo);
  switch (result.kind) {
    case "deleted": return html`Deleted ${category.name}.` + (result.moved > 0 ? ` ${formatCount(result.moved)} videos were moved.` : "");
    case "in-use": return html`${category.name} is in use by ${formatCount(result.videos)} videos; choose where they go first.`;
    case "missing": return "That category no longer exists.";
  }
}

/** Answers the press; the category it is about, or null once "no longer exists" is shown. */
async function openCategory(categories: CategoryService, ctx: ButtonContext, categoryId: number): Promise<Opened | null> {
  await ctx.answerCallbackQuery();
  const category = await categories.byId(categoryId);
  if (category === null) {
    await showInPlace(ctx, { text: "That category no longer exists.", keyboard: backToList(0) });
    return null;
  }
  // Back to the page of the list that shows this category.
  const listPage = pageContaining((await categories.list()).findIndex((c) => c.id === category.id));
  const used = (await categories.usage()).get(category.id) ?? 0;
  return { category, listPage, back: backToList(listPage), used };
}

/** The buttons of one category: open it, turn review first on or off, rename it. */
function categoryButtons(composer: Composer<BotContext>, categories: CategoryService, rename: ReturnType<typeof renamePrompt>): void {
  onButton(composer, CATEGORY_BUTTONS.open, async (ctx, { categoryId }) => {
    const at = await openCategory(categories, ctx, categoryId);
    if (at !== null) await showInPlace(ctx, categoryView(at.category, at.used, at.listPage));
  });
  onButton(composer, CATEGORY_BUTTONS.review, async (ctx, { categoryId }) => {
    const at = await openCategory(categories, ctx, categoryId);
    if (at === null) return;
    const changed = await categories.setReviewFirst(at.category.id, !at.category.reviewFirst, actorOf(ctx));
    await showInPlace(ctx, changed === null ? { text: "That category no longer exists.", keyboard: at.back } : categoryView(changed, at.used, at.listPage));
  });
  onButton(composer, CATEGORY_BUTTONS.rename, async (ctx, { categoryId }) => {
    const at = await openCategory(categories, ctx, categoryId);
    if (at === null) return;
    await rename.ask(ctx, { categoryId: at.category.id });
    await ctx.reply(html`Send the new name for ${at.category.name}, or /cancel.`);
  });
}

/** Deleting a category: confirmed when no video uses it, else only once its videos have somewhere to go. */
function deleteButtons(composer: Composer<BotContext>, categories: CategoryService): void {
  onButton(composer, CATEGORY_BUTTONS.delete, async (ctx, { categoryId, page: othersPage = 0 }) => {
    const at = await openCategory(categories, ctx, categoryId);
    if (at === null) return;
    if (at.used === 0) return void (await showInPlace(ctx, confirmDeleteView(at.category, at.listPage)));
    const others = pageOf((await categories.list()).filter((c) => c.id !== at.category.id), othersPage);
    await showInPlace(ctx, moveVideosView(at.category, at.used, others, at.listPage));
  });
  onButton(composer, CATEGORY_BUTTONS.confirmDelete, async (ctx, { categoryId }) => {
    const at = await openCategory(categories, ctx, categoryId);
    if (at !== null) await showInPlace(ctx, { text: await deleteText(categories, at.category, undefined, ctx), keyboard: at.back });
  });
  onButton(composer, CATEGORY_BUTTONS.moveAndDelete, async (ctx, { categoryId, target }) => {
    const at = await openCategory(categories, ctx, categoryId);
    if (at !== null) await showInPlace(ctx, { text: await deleteText(categories, at.category, target === 0 ? null : target, ctx), keyboard: at.back });
  });
}

/** /categories and /newcategory: list, create (a dialogue), rename, delete, review first. */
export const categoriesFeature = defineFeature({
  name: "categories",
  uses: ["categories"],
  commands: { categories: "categories", newcategory: "categories" },
  buttons: [...Object.values(CATEGORY_BUTTONS), ...Object.values(AUDIENCE_BUTTONS)],
  prompts: ["rename-category"],
  create({ categories }) {
    const composer = new Composer<BotContext>();
    const rename = renamePrompt(categories);
    // Installed before the commands that enter it; while it waits, it sees the chat's updates from here on.
    composer.use(createConversation<BotContext, ConversationContext>(createNewCategoryConversation(categories), NEW_CATEGORY));
    const page = async (n: number): Promise<View> => {
      const [list, usage] = [await categories.list(), await categories.usage()];
      return listView(list.length, pageOf(list, n), usage);
    };
    // The dialogue is the latest question: an earlier one must not take its answers.
    const newCategory = async (ctx: BotContext) => {
      await ctx.prompt.clear();
      await ctx.conversation.enter(NEW_CATEGORY);
    };

    composer.command("newcategory", newCategory);
    composer.command("categories", async (ctx) => {
      await send(ctx, await page(0));
    });
    onButton(composer, CATEGORY_BUTTONS.create, async (ctx) => {
      await ctx.answerCallbackQuery();
      await newCategory(ctx);
    });
    onButton(composer, CATEGORY_BUTTONS.list, async (ctx, values) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await page(values.page));
    });
    categoryButtons(composer, categories, rename);
    deleteButtons(composer, categories);
    composer.use(rename.middleware);
    return composer;
  },
});
