import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { html } from "../../format.js";
import type { BulkEditService } from "../../../services/catalog/bulk-edit.js";
import { formatCount } from "../../../services/shared/units.js";
import { actorOf, showInPlace } from "../../views/respond.js";
import { label } from "../../views/view.js";
import { BULK_BUTTONS } from "./buttons.js";
import { categoryButtons, convertButtons, queueButtons } from "./edits.js";
import { onResults } from "./on-results.js";
import { bulkTagPrompts, tagButtons, untagButtons } from "./tagging.js";

/** Undoes the person's last bulk edit; what to tell them. */
async function undo(bulk: BulkEditService, ctx: BotContext): Promise<string> {
  const result = await bulk.undoLast(actorOf(ctx));
  return result === null
    ? "There is nothing to undo: only your last bulk action can be undone, and only once."
    : html`Undone: ${label(result.summary, 1500)}. ${formatCount(result.changed)} videos are back as they were.`;
}

/** Bulk edits of a search's results (the buttons under them), and /undo of the last one. */
export const bulkFeature = defineFeature({
  name: "bulk",
  uses: ["chat", "search", "catalog", "bulk", "categories", "conversions", "uploads"],
  commands: { undo: "tag" },
  buttons: Object.values(BULK_BUTTONS),
  prompts: ["bulk-tag", "bulk-tag-confirm"],
  create(services) {
    const composer = new Composer<BotContext>();
    const prompts = bulkTagPrompts(services);
    const on = onResults(composer, services);

    composer.command("undo", async (ctx) => {
      await ctx.reply(await undo(services.bulk, ctx));
    });
    onButton(composer, BULK_BUTTONS.undo, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, { text: await undo(services.bulk, ctx), keyboard: new InlineKeyboard() });
    });
    onButton(composer, BULK_BUTTONS.dismiss, async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.prompt.clear();
      await showInPlace(ctx, { text: "Cancelled. Nothing was changed.", keyboard: new InlineKeyboard() });
    });
    tagButtons(on, services, prompts);
    untagButtons(on, services);
    categoryButtons(on, services);
    convertButtons(on, services);
    queueButtons(on, services);
    composer.use(prompts.ask.middleware, prompts.confirm.middleware);
    return composer;
  },
});
