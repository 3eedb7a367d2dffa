import { InlineKeyboard } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { definePrompt, type PromptDefinition } from "../../prompts/define-prompt.js";
import { html } from "../../format.js";
import { MESSAGE_LIMIT, messageWithList } from "../../../infra/telegram/limits.js";
import type { BulkEditService } from "../../../services/catalog/bulk-edit.js";
import type { CatalogService } from "../../../services/catalog/catalog-service.js";
import type { ChatStateService } from "../../../services/chat/chat-state.js";
import { splitTagList } from "../../../services/catalog/tag-names.js";
import type { SearchService } from "../../../services/search/search-service.js";
import { formatCount } from "../../../services/shared/units.js";
import { actorOf, EXPIRED, showInPlace, who } from "../../views/respond.js";
import { label } from "../../views/view.js";
import { describeTagProblem } from "../../views/tag-problems.js";
import { BULK_BUTTONS } from "./buttons.js";
import type { OnResults } from "./on-results.js";
import { confirmKeyboard, doneKeyboard, resultSet, tagNames } from "./views.js";

const TAG_QUESTION = z.object({ searchId: z.number().int() });
// The tags typed, kept until ✅ confirms them; typing others instead asks again with those.
const CONFIRM_QUESTION = z.object({ searchId: z.number().int(), tags: z.array(z.string()) });

export interface TaggingServices { readonly chat: ChatStateService; readonly search: SearchService; readonly catalog: CatalogService; readonly bulk: BulkEditService }

/** The two questions of "Tag all N": the tags to add, then (tags typed) their confirmation. */
export function bulkTagPrompts({ chat, search, catalog }: TaggingServices): { ask: PromptDefinition<{ searchId: number }>; confirm: PromptDefinition<z.infer<typeof CONFIRM_QUESTION>> } {
  // Tags typed after "Tag all N" (or instead of confirming): asks for confirmation, showing N and a sample.
  const answer = async (ctx: BotContext, searchId: number, text: string): Promise<void> => {
    const saved = await chat.search(searchId, who(ctx).chatId);
    const set = saved === null ? null : await resultSet(search, catalog, saved);
    const tags = splitTagList(text);
    if (set === null) {
      await ctx.prompt.clear();
      await ctx.reply(EXPIRED);
      return;
    }
    if (tags.length === 0) {
      await ctx.reply("Send the tags to add, separated by commas, or /cancel.");
      return;
    }
    await confirm.ask(ctx, { searchId, tags });
    const n = formatCount(set.total);
    await ctx.reply(`Add ${tagNames(tags)} to all ${n} videos?\n${set.sample}`,
      { reply_markup: confirmKeyboard(`✅ Tag ${n} videos`, BULK_BUTTONS.confirmTag.pack({ searchId })) });
  };
  const confirm = definePrompt("bulk-tag-confirm", CONFIRM_QUESTION, (ctx, { searchId }, text) => answer(ctx, searchId, text));
  const ask = definePrompt("bulk-tag", TAG_QUESTION, (ctx, { searchId }, text) => answer(ctx, searchId, text));
  return { ask, confirm };
}

/** Tag all N: a typed list of tags, confirmed. */
export function tagButtons(on: OnResults, { bulk }: TaggingServices, prompts: ReturnType<typeof bulkTagPrompts>): void {
  on(BULK_BUTTONS.tag, async (ctx, { searchId }, set, n) => {
    await prompts.ask.ask(ctx, { searchId });
    await ctx.reply(`Send the tags to add to all ${n} videos, separated by commas (or /cancel).\n${set.sample}`);
  });
  on(BULK_BUTTONS.confirmTag, async (ctx, { searchId }, set) => {
    const pending = await ctx.prompt.pending();
    const question = pending?.kind === prompts.confirm.kind ? CONFIRM_QUESTION.safeParse(pending) : null;
    if (question?.success !== true || question.data.searchId !== searchId) {
      await showInPlace(ctx, { text: EXPIRED, keyboard: new InlineKeyboard() });
      return;
    }
    await ctx.prompt.clear();
    const outcome = await bulk.tagAll(set.ids, question.data.tags, actorOf(ctx));
    const problems = outcome.problems.map(describeTagProblem);
    const done = outcome.tags.length === 0 ? "No tag was added." : `Tagged ${formatCount(outcome.changed)} videos with ${tagNames(outcome.tags.map((t) => t.name))}` + ` (the other ${formatCount(set.total - outcome.changed)} had them already).`;
    const text = messageWithList(done, problems, "", { limit: MESSAGE_LIMIT, more: (k) => `… and ${formatCount(k)} more ${k === 1 ? "problem" : "problems"}` });
    await showInPlace(ctx, { text, keyboard: doneKeyboard(outcome.bulkId) });
  });
}

/** Untag all N: one tag among theirs, confirmed. */
export function untagButtons(on: OnResults, { catalog, bulk }: TaggingServices): void {
  on(BULK_BUTTONS.untag, async (ctx, { searchId }, set, n) => {
    const tags = await catalog.tagsAmong(set.ids, 12);
    if (tags.length === 0) {
      await ctx.reply("None of these videos has tags.");
      return;
    }
    const keyboard = new InlineKeyboard();
    for (const t of tags) keyboard.text(label(`✕ ${t.name} (${formatCount(t.among)})`), BULK_BUTTONS.untagOne.pack({ searchId, tagId: t.id })).row();
    await ctx.reply(`Which tag should come off these ${n} videos?`, { reply_markup: keyboard });
  });
  on(BULK_BUTTONS.untagOne, async (ctx, { searchId, tagId }, set, n) => {
    const tag = await catalog.tag(tagId);
    if (tag === null) return void (await showInPlace(ctx, { text: "That tag no longer exists.", keyboard: new InlineKeyboard() }));
    await showInPlace(ctx, { text: html`Remove ${tag.name} from every one of these ${n} videos that has it?` + `\n${set.sample}`,
      keyboard: confirmKeyboard("✅ Remove it", BULK_BUTTONS.confirmUntag.pack({ searchId, tagId: tag.id })) });
  });
  on(BULK_BUTTONS.confirmUntag, async (ctx, { tagId }, set) => {
    const tag = await catalog.tag(tagId);
    if (tag === null) return void (await showInPlace(ctx, { text: "That tag no longer exists.", keyboard: new InlineKeyboard() }));
    const outcome = await bulk.untagAll(set.ids, tag, actorOf(ctx));
    await showInPlace(ctx, { text: html`Removed ${tag.name} from ${formatCount(outcome.changed)} videos.`, keyboard: doneKeyboard(outcome.bulkId) });
  });
}
