import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { NEW_CATEGORY } from "../conversations/new-category.js";
import { escapeHtml } from "../format.js";

export const categoriesFeature = new Composer<BotContext>();

categoriesFeature.command("newcategory", async (ctx) => {
  await ctx.conversation.enter(NEW_CATEGORY);
});

categoriesFeature.command("categories", async (ctx) => {
  const categories = await ctx.deps.services.categories.list();
  if (categories.length === 0) {
    await ctx.reply("There are no categories yet. /newcategory creates one.");
    return;
  }
  const lines = categories.map((c) => `• ${escapeHtml(c.name)} — <i>${escapeHtml(c.audience)}</i>`);
  await ctx.reply([`<b>Categories (${categories.length})</b>`, ...lines].join("\n"), { parse_mode: "HTML" });
});
