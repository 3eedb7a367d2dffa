import { nameWords, type CatalogService } from "../../../services/catalog/catalog-service.js";
import type { ButtonContext } from "../../callback-data/on-button.js";
import { GONE } from "../../views/open-card.js";
import { offerPostUpdates } from "../../views/post-offers.js";
import { actorOf, EXPIRED, showInPlace, viewerOf, who } from "../../views/respond.js";
import { videoCard } from "../../views/video-card.js";
import { tagProblemPlain } from "../../views/tag-problems.js";
import { CARD_BUTTONS } from "./buttons.js";
import { onCardButton, pressedMessage, type CardHandlers } from "./card-button.js";
import { panelFor } from "./tag-replies.js";
import { TAGS_KIND, TAGS_STATE, tagsPrompt } from "./tags-prompt.js";

async function addByName(ctx: ButtonContext, catalog: CatalogService, videoId: number, name: string): Promise<void> {
  const edit = await catalog.addTags(videoId, [name], actorOf(ctx));
  const video = await catalog.video(videoId);
  if (edit === null || video === null) {
    await ctx.answerCallbackQuery({ text: GONE });
    return;
  }
  const problem = edit.problems[0];
  const text = edit.added.length > 0 ? `Added ${name}` : edit.already.length > 0 ? `Already tagged ${name}`
    : `Not added: ${problem === undefined ? "not a usable tag name" : tagProblemPlain(problem)}`;
  await ctx.answerCallbackQuery({ text, show_alert: problem !== undefined });
  await showInPlace(ctx, await panelFor(catalog, video));
}

/** The tags panel: open it (asking for typed tags), remove or add a tag, and close it. */
export const installTags: CardHandlers = (composer, services) => {
  const { catalog, chat } = services;
  const prompt = tagsPrompt(catalog);

  onCardButton(composer, services, CARD_BUTTONS.tags, async (ctx, video) => {
    const messageId = pressedMessage(ctx);
    // While a panel is open it is not refreshed as a card; the panel refreshes itself after each change.
    if (messageId !== undefined) await chat.forgetCard(who(ctx).chatId, messageId);
    await prompt.ask(ctx, { videoId: video.id });
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, await panelFor(catalog, video));
  });

  onCardButton(composer, services, CARD_BUTTONS.tagsDone, async (ctx, video) => {
    await ctx.prompt.clear();
    const messageId = pressedMessage(ctx);
    // Registered first, so that a change made while the card is being drawn still refreshes it.
    if (messageId !== undefined) await chat.addCard(who(ctx).chatId, messageId, video.id);
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, videoCard(video, viewerOf(ctx)));
    // Closing the tags panel is when a batch of tag edits is done.
    await offerPostUpdates(ctx, services, video.id);
  });

  installTagEdits(composer, services);
  composer.use(prompt.middleware);
};

/** The tags panel's buttons: remove a tag, add a suggested or existing one, or a typed name as a new tag. */
const installTagEdits: CardHandlers = (composer, services) => {
  const { catalog } = services;

  onCardButton(composer, services, CARD_BUTTONS.removeTag, async (ctx, video, { tagId }) => {
    const removed = await catalog.removeTag(video.id, tagId, actorOf(ctx));
    await ctx.answerCallbackQuery({ text: removed ? "Tag removed" : "That tag was already removed" });
    const fresh = await catalog.video(video.id);
    if (fresh !== null) await showInPlace(ctx, await panelFor(catalog, fresh));
  });

  onCardButton(composer, services, CARD_BUTTONS.addTag, async (ctx, video, { tagId }) => {
    const tag = await catalog.tag(tagId);
    if (tag === null) await ctx.answerCallbackQuery({ text: "That tag no longer exists." });
    else await addByName(ctx, catalog, video.id, tag.name);
  });

  onCardButton(composer, services, CARD_BUTTONS.addWord, async (ctx, video, { word }) => {
    const name = nameWords(video.fileName)[word];
    if (name === undefined) await ctx.answerCallbackQuery({ text: EXPIRED });
    else await addByName(ctx, catalog, video.id, name);
  });

  onCardButton(composer, services, CARD_BUTTONS.addTyped, async (ctx, video, { index }) => {
    // The typed names are those of the tags question still pending for this video.
    const pending = await ctx.prompt.pending();
    const state = pending?.kind === TAGS_KIND ? TAGS_STATE.safeParse(pending) : null;
    const name = state?.success === true && state.data.videoId === video.id ? state.data.pending?.[index] : undefined;
    if (name === undefined) await ctx.answerCallbackQuery({ text: EXPIRED });
    else await addByName(ctx, catalog, video.id, name);
  });
};
