import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml, html } from "../format.js";
import type { SavedSearch } from "../../services/chat/chat-state.js";
import { splitTagList } from "../../services/catalog/tag-names.js";
import { formatCount } from "../../services/units.js";
import { EXPIRED, pressed, showInPlace, who, actorOf } from "../views/respond.js";
import { label } from "../views/view.js";
import { addPager, pageNote, pageOf } from "../views/paging.js";
import { listWithin, MESSAGE_LIMIT, messageWithList } from "../../infra/telegram/limits.js";
import { describeTagProblem } from "../views/tag-problems.js";
// Its buttons are declared in bulk/buttons.ts; until this feature moves there it draws them by hand.
const BULK = "b";

export const bulkFeature = new Composer<BotContext>();

/** A bulk edit applies to at most this many videos; larger result sets are refused with the reason. */
export const BULK_LIMIT = 10_000;
const SAMPLE = 5;

interface ResultSet { readonly ids: readonly number[]; readonly total: number; readonly sample: string }

async function resultSet(ctx: BotContext, saved: SavedSearch): Promise<ResultSet | null> {
  const outcome = await ctx.deps.services.search.search(saved.query, { limit: BULK_LIMIT, offset: 0 });
  if (!outcome.ok || outcome.total === 0) return null;
  const names = (await ctx.deps.services.catalog.videos(outcome.ids.slice(0, SAMPLE))).map((v) => `• ${escapeHtml(v.fileName)}`);
  const more = outcome.total > SAMPLE ? `\n… and ${formatCount(outcome.total - SAMPLE)} more` : "";
  return { ids: outcome.ids, total: outcome.total, sample: names.join("\n") + more };
}

const undoKeyboard = (): InlineKeyboard => new InlineKeyboard().text("↩ Undo", encodeCallback(BULK, "z"));
const confirmKeyboard = (yes: string, data: string): InlineKeyboard => new InlineKeyboard().text(yes, data).text("Cancel", encodeCallback(BULK, "n"));
/** Names the tags of a bulk edit within `budget` characters, with "… and N more tags" for the rest. */
const tagNames = (names: readonly string[], budget = 1500): string =>
  listWithin(names.map(escapeHtml), budget, { separator: ", ", more: (n) => `… and ${formatCount(n)} more ${n === 1 ? "tag" : "tags"}` });
const tooMany = (total: number): string => `This search matches ${formatCount(total)} videos; bulk edits take at most ${formatCount(BULK_LIMIT)}. Narrow the search first.`;

/** Tags typed after "Tag all N": asks for confirmation, showing N and a sample. */
export async function onTypedBulkTags(ctx: BotContext, searchId: number, text: string): Promise<void> {
  const { chatId } = who(ctx);
  const saved = await ctx.deps.services.chat.search(searchId, chatId);
  const set = saved === null ? null : await resultSet(ctx, saved);
  const tags = splitTagList(text);
  if (set === null) {
    await ctx.deps.services.chat.clearPrompt(chatId);
    await ctx.reply(EXPIRED);
    return;
  }
  if (tags.length === 0) {
    await ctx.reply("Send the tags to add, separated by commas, or /cancel.");
    return;
  }
  await ctx.deps.services.chat.setPrompt(chatId, { kind: "bulk-tag-confirm", searchId, tags });
  const n = formatCount(set.total);
  await ctx.reply(`Add ${tagNames(tags)} to all ${n} videos?\n${set.sample}`,
    { parse_mode: "HTML", reply_markup: confirmKeyboard(`✅ Tag ${n} videos`, encodeCallback(BULK, "yt", searchId)) });
}

async function undo(ctx: BotContext): Promise<string> {
  const result = await ctx.deps.services.bulk.undoLast(actorOf(ctx));
  return result === null
    ? "There is nothing to undo: only your last bulk action can be undone, and only once."
    : html`Undone: ${label(result.summary, 1500)}. ${formatCount(result.changed)} videos are back as they were.`;
}

bulkFeature.command("undo", async (ctx) => {
  await ctx.reply(await undo(ctx), { parse_mode: "HTML" });
});

bulkFeature.callbackQuery(/^b:/, async (ctx) => {
  const button = pressed(ctx, BULK);
  const { chatId } = who(ctx);
  const { chat, bulk, catalog, categories } = ctx.deps.services;
  const verb = button?.data.verb;
  if (verb === "z" || verb === "n") {
    await ctx.answerCallbackQuery();
    if (verb === "n") await chat.clearPrompt(chatId);
    await showInPlace(ctx, { text: verb === "z" ? await undo(ctx) : "Cancelled. Nothing was changed.", keyboard: new InlineKeyboard() });
    return;
  }
  const [searchId, arg] = button?.ids ?? [];
  const saved = searchId === undefined ? null : await chat.search(searchId, chatId);
  const set = saved === null ? null : await resultSet(ctx, saved);
  if (button === null || saved === null || set === null || searchId === undefined) {
    await ctx.answerCallbackQuery({ text: EXPIRED });
    return;
  }
  await ctx.answerCallbackQuery();
  if (set.total > BULK_LIMIT) {
    await ctx.reply(tooMany(set.total));
    return;
  }
  const n = formatCount(set.total);
  const actor = actorOf(ctx);
  switch (button.data.verb) {
    case "v": {
      const { convertible, notNeeded, impossible } = await ctx.deps.services.conversions.assess(set.ids);
      const others = [notNeeded > 0 ? `${formatCount(notNeeded)} already playable or converted` : "", impossible > 0 ? `${formatCount(impossible)} unreadable or missing` : ""].filter((s) => s !== "");
      if (convertible === 0) {
        await ctx.reply(`None of these ${n} videos needs converting${others.length > 0 ? ` (${others.join(", ")})` : ""}.`);
        return;
      }
      await ctx.reply(`Convert ${formatCount(convertible)} of these ${n} videos to MP4, in this order, in the background?${others.length > 0 ? `
Skipped: ${others.join(", ")}.` : ""}
${set.sample}`,
        { parse_mode: "HTML", reply_markup: confirmKeyboard(`✅ Convert ${formatCount(convertible)}`, encodeCallback(BULK, "yv", searchId)) });
      return;
    }
    case "yv": {
      const report = await ctx.deps.services.conversions.request(set.ids, "bulk", actor);
      const already = report.already.length > 0 ? ` ${formatCount(report.already.length)} were already queued.` : "";
      await showInPlace(ctx, { text: `🔄 ${formatCount(report.queued.length)} videos queued for conversion.${already} /convert shows the queue.`, keyboard: new InlineKeyboard() });
      return;
    }
    case "pu":
      await ctx.reply(`Send these ${n} videos to the channels of their categories, in this order? Videos already posted in their channel, and videos without a channel, are skipped.\n${set.sample}`,
        { parse_mode: "HTML", reply_markup: confirmKeyboard(`✅ Send ${n}`, encodeCallback(BULK, "ypu", searchId)) });
      return;
    case "ypu": {
      const report = await ctx.deps.services.uploads.enqueue(set.ids, "bulk", actor);
      const skipped = [
        report.already.length > 0 ? `${formatCount(report.already.length)} already in the queue` : "",
        report.alreadySent.length > 0 ? `${formatCount(report.alreadySent.length)} already posted in their channel` : "",
        report.unroutable.length > 0 ? `${formatCount(report.unroutable.length)} without a channel (${escapeHtml(report.unroutable[0]?.why ?? "")})` : "",
      ].filter((s) => s !== "");
      await showInPlace(ctx, { text: `📤 ${formatCount(report.queued.length)} videos queued for their channels.${skipped.length > 0 ? ` Skipped: ${skipped.join("; ")}.` : ""} /queue shows the queue.`, keyboard: new InlineKeyboard() });
      return;
    }
    case "t":
      await chat.setPrompt(chatId, { kind: "bulk-tag", searchId });
      await ctx.reply(`Send the tags to add to all ${n} videos, separated by commas (or /cancel).\n${set.sample}`, { parse_mode: "HTML" });
      return;
    case "yt": {
      const prompt = await chat.prompt(chatId);
      if (prompt?.kind !== "bulk-tag-confirm" || prompt.searchId !== searchId) {
        await showInPlace(ctx, { text: EXPIRED, keyboard: new InlineKeyboard() });
        return;
      }
      await chat.clearPrompt(chatId);
      const outcome = await bulk.tagAll(set.ids, prompt.tags as readonly string[], actor);
      const problems = outcome.problems.map(describeTagProblem);
      const done = outcome.tags.length === 0 ? "No tag was added." : `Tagged ${formatCount(outcome.changed)} videos with ${tagNames(outcome.tags.map((t) => t.name))}` + ` (the other ${formatCount(set.total - outcome.changed)} had them already).`;
      const text = messageWithList(done, problems, "", { limit: MESSAGE_LIMIT, more: (k) => `… and ${formatCount(k)} more ${k === 1 ? "problem" : "problems"}` });
      await showInPlace(ctx, { text, keyboard: outcome.bulkId === null ? new InlineKeyboard() : undoKeyboard() });
      return;
    }
    case "u": {
      const tags = await catalog.tagsAmong(set.ids, 12);
      if (tags.length === 0) {
        await ctx.reply("None of these videos has tags.");
        return;
      }
      const keyboard = new InlineKeyboard();
      for (const t of tags) keyboard.text(label(`✕ ${t.name} (${formatCount(t.among)})`), encodeCallback(BULK, "U", searchId, t.id)).row();
      await ctx.reply(`Which tag should come off these ${n} videos?`, { reply_markup: keyboard });
      return;
    }
    case "U": {
      const tag = arg === undefined ? null : await catalog.tag(arg);
      if (tag === null) return void (await showInPlace(ctx, { text: "That tag no longer exists.", keyboard: new InlineKeyboard() }));
      await showInPlace(ctx, { text: html`Remove ${tag.name} from every one of these ${n} videos that has it?` + `\n${set.sample}`,
        keyboard: confirmKeyboard("✅ Remove it", encodeCallback(BULK, "yu", searchId, tag.id)) });
      return;
    }
    case "yu": {
      const tag = arg === undefined ? null : await catalog.tag(arg);
      if (tag === null) return void (await showInPlace(ctx, { text: "That tag no longer exists.", keyboard: new InlineKeyboard() }));
      const outcome = await bulk.untagAll(set.ids, tag, actor);
      await showInPlace(ctx, { text: html`Removed ${tag.name} from ${formatCount(outcome.changed)} videos.`, keyboard: outcome.bulkId === null ? new InlineKeyboard() : undoKeyboard() });
      return;
    }
    case "c": {
      // `b:c:<search>:<page>`: a page of categories at a time; the first press asks anew, a page turn edits in place.
      const shown = pageOf(await categories.list(), arg ?? 0);
      const keyboard = new InlineKeyboard();
      for (const c of shown.items) keyboard.text(label(`${c.name} (${c.audience})`), encodeCallback(BULK, "C", searchId, c.id)).row();
      addPager(keyboard, shown, (p) => encodeCallback(BULK, "c", searchId, p));
      keyboard.text("No category", encodeCallback(BULK, "C", searchId, 0));
      const question = `Which category should all ${n} videos have?${pageNote(shown)}`;
      if (arg === undefined) await ctx.reply(question, { reply_markup: keyboard });
      else await showInPlace(ctx, { text: question, keyboard });
      return;
    }
    case "C":
    case "yc": {
      const category = arg === undefined || arg === 0 ? null : await categories.byId(arg);
      if (arg !== 0 && category === null) return void (await showInPlace(ctx, { text: "That category no longer exists.", keyboard: new InlineKeyboard() }));
      const name = category === null ? "no category" : `${category.name} (${category.audience})`;
      if (button.data.verb === "C") {
        await showInPlace(ctx, { text: html`Set the category of all ${n} videos to ${name}?` + `\n${set.sample}`,
          keyboard: confirmKeyboard("✅ Set it", encodeCallback(BULK, "yc", searchId, arg ?? 0)) });
        return;
      }
      const names = new Map((await categories.list()).map((c) => [c.id, c.name]));
      const outcome = await bulk.categoryForAll(set.ids, category, actor, names);
      await showInPlace(ctx, { text: html`Set ${formatCount(outcome.changed)} videos to ${name}` + ` (the other ${formatCount(set.total - outcome.changed)} had it already).`,
        keyboard: outcome.bulkId === null ? new InlineKeyboard() : undoKeyboard() });
      return;
    }
    default:
      await ctx.reply(EXPIRED);
  }
});
