import { CARD_BUTTONS } from "./buttons.js";
import { onCardButton, pressedMessage, type CardHandlers } from "./card-button.js";
import { openCard } from "../../views/open-card.js";
import { actorOf, showInPlace, viewerOf, who } from "../../views/respond.js";
import { historyPanel, videoCard } from "../../views/video-card.js";

/** Opening a card (the MP4's, from its source's card), going back to it from a panel, and its history. */
export const installNavigation: CardHandlers = (composer, services) => {
  const { chat, audit } = services;

  onCardButton(composer, services, CARD_BUTTONS.open, async (ctx, video) => {
    await ctx.answerCallbackQuery();
    await openCard(ctx, services, video.id);
  });

  onCardButton(composer, services, CARD_BUTTONS.back, async (ctx, video) => {
    const messageId = pressedMessage(ctx);
    // Registered first, so that a change made while the card is being drawn still refreshes it.
    if (messageId !== undefined) await chat.addCard(who(ctx).chatId, messageId, video.id);
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, videoCard(video, viewerOf(ctx)));
  });

  onCardButton(composer, services, CARD_BUTTONS.history, async (ctx, video) => {
    const messageId = pressedMessage(ctx);
    // While a panel is open it is not refreshed as a card.
    if (messageId !== undefined) await chat.forgetCard(who(ctx).chatId, messageId);
    await ctx.answerCallbackQuery();
    const events = await audit.history(actorOf(ctx), video.id, 15);
    await showInPlace(ctx, historyPanel(video, events, (kind, id) => (kind === "user" ? `user ${id}` : id)));
  });
};
