import type { Conversation } from "@grammyjs/conversations";
import { actorOf } from "../../views/respond.js";
import { DEFAULT_AUDIENCES, categoryNameProblem, normaliseAudience, type CategoryService } from "../../../services/catalog/categories.js";
import { decodeCallback } from "../../callback-data/codec.js";
import type { BotContext, ConversationContext } from "../../context.js";
import { html } from "../../format.js";
import { waitForText, waitInDialogue } from "./dialogue-waits.js";
import { AUDIENCE_BUTTONS } from "./buttons.js";
import { audienceKeyboard, describeCategoryProblem } from "./views.js";

export const NEW_CATEGORY = "new-category";
type Convo = Conversation<BotContext, ConversationContext>;

async function askName(conversation: Convo, categories: CategoryService): Promise<string> {
  for (;;) {
    const answer = await waitForText(conversation, (ctx) => ctx.reply("Please send the category name as text, or /cancel."));
    const name = answer.text.trim().replace(/\s+/g, " ");
    const problem = categoryNameProblem(name)
      ?? ((await conversation.external(() => categories.exists(name))) ? { kind: "exists" as const, existing: name } : null);
    if (problem === null) return name;
    await answer.ctx.reply(describeCategoryProblem(problem));
  }
}

async function askAudience(conversation: Convo, audiences: readonly string[]): Promise<string> {
  for (;;) {
    // Any audience button is the dialogue's: one it no longer offers is answered here, not passed on.
    const ctx = await waitInDialogue(conversation, (data) => decodeCallback(data)?.feature === AUDIENCE_BUTTONS.pick.feature);
    if (ctx.callbackQuery !== undefined) {
      const index = AUDIENCE_BUTTONS.pick.unpack(ctx.callbackQuery.data)?.index;
      const picked = index === undefined ? undefined : audiences[index];
      await ctx.answerCallbackQuery(picked === undefined ? { text: "That choice is no longer offered. Choose an audience, or /cancel." } : {});
      if (picked !== undefined) return picked;
      continue;
    }
    const typed = ctx.message?.text;
    const audience = typed === undefined ? null : normaliseAudience(typed);
    if (audience !== null) return audience;
    await ctx.reply(describeCategoryProblem({ kind: "bad-audience" }));
  }
}

/** A dialogue that creates a category: its name, then its audience. Survives restarts (state in SQLite). */
export function createNewCategoryConversation(categories: CategoryService) {
  return async function newCategory(conversation: Convo, ctx: ConversationContext): Promise<void> {
    await ctx.reply("New category. What is it called? (/cancel to stop)");
    const name = await askName(conversation, categories);
    const existing = await conversation.external(async () => (await categories.list()).map((c) => c.audience));
    const audiences = [...new Set([...DEFAULT_AUDIENCES, ...existing])];
    await ctx.reply(html`Who is “${name}” for? Choose an audience, or type a new one.`, {
      reply_markup: audienceKeyboard(audiences),
    });
    const audience = await askAudience(conversation, audiences);
    const result = await conversation.external((outside) => categories.create(name, audience, actorOf(outside)));
    const text = result.ok
      ? html`Category “${result.category.name}” created for ${result.category.audience}.`
      : describeCategoryProblem(result.problem);
    await ctx.reply(text);
  };
}
