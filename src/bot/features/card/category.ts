import { CARD_BUTTONS } from "./buttons.js";
import { onCardButton, pressedMessage, type CardHandlers } from "./card-button.js";
import { offerPostUpdates } from "../../views/post-offers.js";
import { actorOf, showInPlace, viewerOf, who } from "../../views/respond.js";
import { categoryPanel, videoCard } from "../../views/video-card.js";

/** The category panel: a page of categories, and the choice of one (or none). */
export const installCategory: CardHandlers = (composer, services) => {
  const { catalog, chat, categories } = services;

  onCardButton(composer, services, CARD_BUTTONS.category, async (ctx, video, { page }) => {
    const messageId = pressedMessage(ctx);
    // While a panel is open it is not refreshed as a card.
    if (messageId !== undefined) await chat.forgetCard(who(ctx).chatId, messageId);
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, categoryPanel(video, await categories.list(), page));
  });

  onCardButton(composer, services, CARD_BUTTONS.setCategory, async (ctx, video, { categoryId }) => {
    const category = categoryId === 0 ? null : await categories.byId(categoryId);
    if (categoryId !== 0 && category === null) {
      await ctx.answerCallbackQuery({ text: "That category no longer exists." });
      await showInPlace(ctx, categoryPanel(video, await categories.list()));
      return;
    }
    await catalog.setCategory(video.id, category, actorOf(ctx));
    const messageId = pressedMessage(ctx);
    if (messageId !== undefined) await chat.addCard(who(ctx).chatId, messageId, video.id);
    await ctx.answerCallbackQuery({ text: category === null ? "No category" : `Category: ${category.name}` });
    const fresh = await catalog.video(video.id);
    if (fresh !== null) await showInPlace(ctx, videoCard(fresh, viewerOf(ctx)));
    await offerPostUpdates(ctx, services, video.id);
  });
};
