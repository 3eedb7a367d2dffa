import { InlineKeyboard } from "grammy";
import { escapeHtml, html } from "../../format.js";
import type { BulkEditService } from "../../../services/catalog/bulk-edit.js";
import type { CategoryService } from "../../../services/catalog/categories.js";
import type { ConversionService } from "../../../services/conversion/conversion-service.js";
import type { UploadQueueService } from "../../../services/publish/publish-service.js";
import { formatCount } from "../../../services/shared/units.js";
import { addPager, pageNote, pageOf } from "../../views/paging.js";
import { actorOf, showInPlace } from "../../views/respond.js";
import { label } from "../../views/view.js";
import { BULK_BUTTONS } from "./buttons.js";
import type { OnResults } from "./on-results.js";
import { confirmKeyboard, doneKeyboard } from "./views.js";

/** Set category for all N: a page of categories at a time, then a confirmation. */
export function categoryButtons(on: OnResults, { categories, bulk }: { categories: CategoryService; bulk: BulkEditService }): void {
  on(BULK_BUTTONS.category, async (ctx, { searchId, page }, _set, n) => {
    const shown = pageOf(await categories.list(), page ?? 0);
    const keyboard = new InlineKeyboard();
    for (const c of shown.items) keyboard.text(label(`${c.name} (${c.audience})`), BULK_BUTTONS.categoryPick.pack({ searchId, categoryId: c.id })).row();
    addPager(keyboard, shown, (p) => BULK_BUTTONS.category.pack({ searchId, page: p }));
    keyboard.text("No category", BULK_BUTTONS.categoryPick.pack({ searchId, categoryId: 0 }));
    const question = `Which category should all ${n} videos have?${pageNote(shown)}`;
    // The first press asks anew; a page turn edits the question in place.
    if (page === undefined) await ctx.reply(question, { reply_markup: keyboard });
    else await showInPlace(ctx, { text: question, keyboard });
  });
  /** The chosen category (0: none), or undefined once "no longer exists" is shown. */
  const chosen = async (ctx: Parameters<typeof showInPlace>[0], categoryId: number) => {
    const category = categoryId === 0 ? null : await categories.byId(categoryId);
    if (categoryId !== 0 && category === null) return void (await showInPlace(ctx, { text: "That category no longer exists.", keyboard: new InlineKeyboard() }));
    return { category, name: category === null ? "no category" : `${category.name} (${category.audience})` };
  };
  on(BULK_BUTTONS.categoryPick, async (ctx, { searchId, categoryId }, set, n) => {
    const choice = await chosen(ctx, categoryId);
    if (choice === undefined) return;
    await showInPlace(ctx, { text: html`Set the category of all ${n} videos to ${choice.name}?` + `\n${set.sample}`,
      keyboard: confirmKeyboard("✅ Set it", BULK_BUTTONS.confirmCategory.pack({ searchId, categoryId })) });
  });
  on(BULK_BUTTONS.confirmCategory, async (ctx, { categoryId }, set) => {
    const choice = await chosen(ctx, categoryId);
    if (choice === undefined) return;
    const names = new Map((await categories.list()).map((c) => [c.id, c.name]));
    const outcome = await bulk.categoryForAll(set.ids, choice.category, actorOf(ctx), names);
    await showInPlace(ctx, { text: html`Set ${formatCount(outcome.changed)} videos to ${choice.name}` + ` (the other ${formatCount(set.total - outcome.changed)} had it already).`,
      keyboard: doneKeyboard(outcome.bulkId) });
  });
}

/** Convert all N: those that need it, in the search's order, in the background. */
export function convertButtons(on: OnResults, { conversions }: { conversions: ConversionService }): void {
  on(BULK_BUTTONS.convert, async (ctx, { searchId }, set, n) => {
    const { convertible, notNeeded, impossible } = await conversions.assess(set.ids);
    const others = [notNeeded > 0 ? `${formatCount(notNeeded)} already playable or converted` : "", impossible > 0 ? `${formatCount(impossible)} unreadable or missing` : ""].filter((s) => s !== "");
    if (convertible === 0) {
      await ctx.reply(`None of these ${n} videos needs converting${others.length > 0 ? ` (${others.join(", ")})` : ""}.`);
      return;
    }
    await ctx.reply(`Convert ${formatCount(convertible)} of these ${n} videos to MP4, in this order, in the background?${others.length > 0 ? `
Skipped: ${others.join(", ")}.` : ""}
${set.sample}`,
      { reply_markup: confirmKeyboard(`✅ Convert ${formatCount(convertible)}`, BULK_BUTTONS.confirmConvert.pack({ searchId })) });
  });
  on(BULK_BUTTONS.confirmConvert, async (ctx, _values, set) => {
    const report = await conversions.request(set.ids, "bulk", actorOf(ctx));
    const already = report.already.length > 0 ? ` ${formatCount(report.already.length)} were already queued.` : "";
    await showInPlace(ctx, { text: `🔄 ${formatCount(report.queued.length)} videos queued for conversion.${already} /convert shows the queue.`, keyboard: new InlineKeyboard() });
  });
}

/** Send all N: each to the channel of its category, in the search's order. */
export function queueButtons(on: OnResults, { uploads }: { uploads: UploadQueueService }): void {
  on(BULK_BUTTONS.queue, async (ctx, { searchId }, set, n) => {
    await ctx.reply(`Send these ${n} videos to the channels of their categories, in this order? Videos already posted in their channel, and videos without a channel, are skipped.\n${set.sample}`,
      { reply_markup: confirmKeyboard(`✅ Send ${n}`, BULK_BUTTONS.confirmQueue.pack({ searchId })) });
  });
  on(BULK_BUTTONS.confirmQueue, async (ctx, _values, set) => {
    const report = await uploads.enqueue(set.ids, "bulk", actorOf(ctx));
    const skipped = [
      report.already.length > 0 ? `${formatCount(report.already.length)} already in the queue` : "",
      report.alreadySent.length > 0 ? `${formatCount(report.alreadySent.length)} already posted in their channel` : "",
      report.unroutable.length > 0 ? `${formatCount(report.unroutable.length)} without a channel (${escapeHtml(report.unroutable[0]?.why ?? "")})` : "",
    ].filter((s) => s !== "");
    await showInPlace(ctx, { text: `📤 ${formatCount(report.queued.length)} videos queued for their channels.${skipped.length > 0 ? ` Skipped: ${skipped.join("; ")}.` : ""} /queue shows the queue.`, keyboard: new InlineKeyboard() });
  });
}
