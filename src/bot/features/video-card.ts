import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { nameWords, type TagEdit } from "../../services/catalog/catalog-service.js";
import type { VideoDetails } from "../../services/catalog/catalog-store.js";
import { splitTagList } from "../../services/catalog/tag-names.js";
import { describeTagProblem } from "../views/tag-problems.js";
import { EXPIRED, pressed, send, showInPlace, who, actorOf, viewerOf } from "../views/respond.js";
import { categoryPanel, historyPanel, tagsPanel, VIDEO, videoCard } from "../views/video-card.js";
import { label, type View } from "../views/view.js";
import { listWithin, telegramLength } from "../../infra/telegram/limits.js";
import { countOf } from "../../services/units.js";

const MAX_BUTTONS = 100;
import { enqueueAnswer, offerPostUpdates } from "./publishing.js";

export const videoCardFeature = new Composer<BotContext>();

const GONE = "This video is no longer in the library — search again.";
const SUGGESTIONS = 6;

/** Sends a video's card as a new message and remembers it, so that it is edited when the video changes. */
export async function openCard(ctx: BotContext, videoId: number): Promise<void> {
  const video = await ctx.deps.services.catalog.video(videoId);
  if (video === null) {
    await ctx.reply(GONE);
    return;
  }
  const messageId = await send(ctx, videoCard(video, viewerOf(ctx)));
  await ctx.deps.services.chat.addCard(who(ctx).chatId, messageId, video.id);
}

async function panelFor(ctx: BotContext, video: VideoDetails, reserve = 0): Promise<View> {
  return tagsPanel(video, await ctx.deps.services.catalog.suggestionsFor(video, SUGGESTIONS), reserve);
}


// What a reply says about a typed tag list stays short, however many tags were typed: the card follows it.
const EDIT_LIST_BUDGET = 700;

/** "Added: a, b." or, when cut, "Added (150 tags): a, b, … and 148 more.", each list within its budget. */
function namedList(what: string, names: readonly string[]): string {
  const list = listWithin(names.map(escapeHtml), EDIT_LIST_BUDGET, { separator: ", ", more: (n) => `… and ${n} more` });
  return list.includes("… and ") ? `${what} (${countOf(names.length, "tag", "tags")}): ${list}.` : `${what}: ${list}.`;
}

function describeEdit(edit: TagEdit): string[] {
  const problems = edit.problems.map(describeTagProblem);
  return [
    ...(edit.added.length > 0 ? [namedList("Added", edit.added.map((t) => t.name))] : []),
    ...(edit.already.length > 0 ? [namedList("Already tagged", edit.already.map((t) => t.name))] : []),
    ...(problems.length === 0 ? [] : [listWithin(problems, EDIT_LIST_BUDGET, { more: (n) => `… and ${countOf(n, "more problem", "more problems")}` })]),
  ];
}

/** Tags typed while a video's tags panel is open: known and new tags are added; prefixes of existing tags get suggestions. */
export async function onTypedTags(ctx: BotContext, videoId: number, text: string): Promise<void> {
  const { catalog, chat } = ctx.deps.services;
  const typed = splitTagList(text);
  const guesses = await catalog.unknownWithCompletions(typed, SUGGESTIONS);
  const guessed = new Set(guesses.map((g) => g.name.toLocaleLowerCase("en")));
  const direct = typed.filter((t) => !guessed.has(t.trim().replace(/^#+/u, "").toLocaleLowerCase("en")));
  const edit = direct.length === 0 ? { added: [], already: [], problems: [] } : await catalog.addTags(videoId, direct, actorOf(ctx));
  const video = await catalog.video(videoId);
  if (edit === null || video === null) {
    await chat.clearPrompt(who(ctx).chatId);
    await ctx.reply(GONE);
    return;
  }
  const pending = guesses.map((g) => g.name);
  await chat.setPrompt(who(ctx).chatId, { kind: "tags", videoId, pending });
  const lines = describeEdit(edit);
  if (guesses.length > 0) {
    const keyboard = new InlineKeyboard();
    // Telegram allows 100 buttons on a message; guesses past that get no button and can be typed again.
    let buttons = 0;
    guesses.forEach((g, i) => {
      if (buttons + g.matches.length + 1 > MAX_BUTTONS) return;
      buttons += g.matches.length + 1;
      for (const m of g.matches) keyboard.text(label(`+ ${m.name}`), encodeCallback(VIDEO, "a", videoId, m.id)).row();
      keyboard.text(label(`+ “${g.name}” as a new tag`), encodeCallback(VIDEO, "n", videoId, i)).row();
    });
    const asked = listWithin(guesses.map((g) => `“${escapeHtml(g.name)}”`), EDIT_LIST_BUDGET, { separator: ", " });
    await ctx.reply([...lines, `Existing tags start with ${asked}. Tap one to add it, or add what you typed as a new tag.`].join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
  } else {
    const summary = [...lines, ""].join("\n");
    const panel = await panelFor(ctx, video, telegramLength(summary) + 1);
    await send(ctx, { text: `${summary}\n${panel.text}`, keyboard: panel.keyboard });
  }
}

async function addByName(ctx: BotContext, videoId: number, name: string): Promise<void> {
  const edit = await ctx.deps.services.catalog.addTags(videoId, [name], actorOf(ctx));
  const video = await ctx.deps.services.catalog.video(videoId);
  if (edit === null || video === null) {
    await ctx.answerCallbackQuery({ text: GONE });
    return;
  }
  await ctx.answerCallbackQuery({ text: edit.added.length > 0 ? `Added ${name}` : `Already tagged ${name}` });
  await showInPlace(ctx, await panelFor(ctx, video));
}

/** Answers the button and redraws the pressed card from fresh data (and keeps it registered for later changes). */
async function refreshCard(ctx: BotContext, videoId: number, answer: string): Promise<void> {
  const messageId = ctx.callbackQuery?.message?.message_id;
  if (messageId !== undefined) await ctx.deps.services.chat.addCard(who(ctx).chatId, messageId, videoId);
  await ctx.answerCallbackQuery({ text: answer });
  const fresh = await ctx.deps.services.catalog.video(videoId);
  if (fresh !== null) await showInPlace(ctx, videoCard(fresh, viewerOf(ctx)));
}

videoCardFeature.callbackQuery(/^v:/, async (ctx) => {
  const button = pressed(ctx, VIDEO);
  const [videoId, arg] = button?.ids ?? [];
  const { catalog, chat, categories, audit } = ctx.deps.services;
  const video = videoId === undefined ? null : await catalog.video(videoId);
  if (button === null || video === null) {
    await ctx.answerCallbackQuery({ text: button === null ? EXPIRED : GONE });
    return;
  }
  const { chatId } = who(ctx);
  const messageId = ctx.callbackQuery.message?.message_id;
  const actor = actorOf(ctx);
  switch (button.data.verb) {
    case "o":
      await ctx.answerCallbackQuery();
      await openCard(ctx, video.id);
      return;
    case "c":
    case "d":
      if (button.data.verb === "d") await chat.clearPrompt(chatId);
      // Registered first, so that a change made while the card is being drawn still refreshes it.
      if (messageId !== undefined) await chat.addCard(chatId, messageId, video.id);
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, videoCard(video, viewerOf(ctx)));
      // Closing the tags panel is when a batch of tag edits is done.
      if (button.data.verb === "d") await offerPostUpdates(ctx, video.id);
      return;
    case "t":
      // While a panel is open it is not refreshed as a card; the panel refreshes itself after each change.
      if (messageId !== undefined) await chat.forgetCard(chatId, messageId);
      await chat.setPrompt(chatId, { kind: "tags", videoId: video.id });
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await panelFor(ctx, video));
      return;
    case "x": {
      const removed = arg !== undefined && (await catalog.removeTag(video.id, arg, actor));
      await ctx.answerCallbackQuery({ text: removed ? "Tag removed" : "That tag was already removed" });
      const fresh = await catalog.video(video.id);
      if (fresh !== null) await showInPlace(ctx, await panelFor(ctx, fresh));
      return;
    }
    case "a": {
      const tag = arg === undefined ? null : await catalog.tag(arg);
      if (tag === null) await ctx.answerCallbackQuery({ text: "That tag no longer exists." });
      else await addByName(ctx, video.id, tag.name);
      return;
    }
    case "w": {
      const word = arg === undefined ? undefined : nameWords(video.fileName)[arg];
      if (word === undefined) await ctx.answerCallbackQuery({ text: EXPIRED });
      else await addByName(ctx, video.id, word);
      return;
    }
    case "n": {
      const prompt = await chat.prompt(chatId);
      const name = prompt?.kind === "tags" && prompt.videoId === video.id && arg !== undefined ? (prompt.pending as readonly string[] | undefined)?.[arg] : undefined;
      if (name === undefined) await ctx.answerCallbackQuery({ text: EXPIRED });
      else await addByName(ctx, video.id, name);
      return;
    }
    case "g":
      if (messageId !== undefined) await chat.forgetCard(chatId, messageId);
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, categoryPanel(video, await categories.list(), arg));
      return;
    case "k": {
      const category = arg === undefined || arg === 0 ? null : await categories.byId(arg);
      if (arg !== 0 && category === null) {
        await ctx.answerCallbackQuery({ text: "That category no longer exists." });
        await showInPlace(ctx, categoryPanel(video, await categories.list()));
        return;
      }
      await catalog.setCategory(video.id, category, actor);
      if (messageId !== undefined) await chat.addCard(chatId, messageId, video.id);
      await ctx.answerCallbackQuery({ text: category === null ? "No category" : `Category: ${category.name}` });
      const fresh = await catalog.video(video.id);
      if (fresh !== null) await showInPlace(ctx, videoCard(fresh, viewerOf(ctx)));
      await offerPostUpdates(ctx, video.id);
      return;
    }
    case "cv": {
      const report = await ctx.deps.services.conversions.request([video.id], "card", actor);
      const text = report.queued.length > 0 ? "Queued for conversion" : report.already.length > 0 ? "It is already queued"
        : report.notNeeded.length > 0 ? "It is already a playable MP4, or has one" : `It cannot be converted: ${report.impossible[0]?.why ?? "unknown reason"}`;
      await refreshCard(ctx, video.id, text);
      return;
    }
    case "cx": {
      const result = arg === undefined ? "missing" : await ctx.deps.services.conversions.cancel(arg, actor);
      const text = { cancelled: "Conversion cancelled", stopping: "Stopping the conversion…", finished: "That conversion already finished", missing: EXPIRED }[result];
      await refreshCard(ctx, video.id, text);
      return;
    }
    case "pu":
    case "pf": {
      const report = await ctx.deps.services.uploads.enqueue([video.id], "card", actor, { force: button.data.verb === "pf" });
      await refreshCard(ctx, video.id, enqueueAnswer(report));
      return;
    }
    case "px": {
      const result = arg === undefined ? "missing" : await ctx.deps.services.uploads.cancel(arg, actor);
      await refreshCard(ctx, video.id, { cancelled: "Upload cancelled", sending: "It is being sent right now", finished: "That upload already finished", missing: EXPIRED }[result]);
      return;
    }
    case "h": {
      if (messageId !== undefined) await chat.forgetCard(chatId, messageId);
      await ctx.answerCallbackQuery();
      const events = await audit.history(actor, video.id, 15);
      await showInPlace(ctx, historyPanel(video, events, (kind, id) => (kind === "user" ? `user ${id}` : id)));
      return;
    }
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
  }
});
