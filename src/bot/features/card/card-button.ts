import type { Composer } from "grammy";
import type { BotContext, BotServices } from "../../context.js";
import type { Button, ButtonValues, Fields } from "../../callback-data/button.js";
import { onButton, type ButtonContext } from "../../callback-data/on-button.js";
import type { VideoDetails } from "../../../services/catalog/catalog-store.js";
import { GONE } from "../../views/open-card.js";
import { showInPlace, viewerOf, who } from "../../views/respond.js";
import { videoCard } from "../../views/video-card.js";

/** The services the card and its panels use. */
export const CARD_USES = ["catalog", "chat", "categories", "audit", "conversions", "uploads", "posts"] as const;
export type CardServices = Pick<BotServices, (typeof CARD_USES)[number]>;

/** Installs one card button's handlers on the card's composer. */
export type CardHandlers = (composer: Composer<BotContext>, services: CardServices) => void;

/**
 * Answers a button of a video's card with the video it names, freshly read; a video that has left the
 * library answers "no longer in the library" before the handler runs.
 */
export function onCardButton<F extends Fields & { readonly videoId: "id" }>(
  composer: Composer<BotContext>,
  services: CardServices,
  button: Button<F>,
  handler: (ctx: ButtonContext, video: VideoDetails, values: ButtonValues<F>) => Promise<unknown>,
): void {
  onButton(composer, button, async (ctx, values) => {
    // Every card button carries `videoId` first (the constraint on F); TypeScript cannot see it through the mapped type.
    const { videoId } = values as unknown as { readonly videoId: number };
    const video = await services.catalog.video(videoId);
    if (video === null) {
      await ctx.answerCallbackQuery({ text: GONE });
      return;
    }
    await handler(ctx, video, values);
  });
}

/** The pressed message, when Telegram still says which it is. */
export const pressedMessage = (ctx: ButtonContext): number | undefined => ctx.callbackQuery.message?.message_id;

/** Answers the button and redraws the pressed card from fresh data (and keeps it registered for later changes). */
export async function refreshCard(ctx: ButtonContext, services: CardServices, videoId: number, answer: string): Promise<void> {
  const messageId = pressedMessage(ctx);
  if (messageId !== undefined) await services.chat.addCard(who(ctx).chatId, messageId, videoId);
  await ctx.answerCallbackQuery({ text: answer });
  const fresh = await services.catalog.video(videoId);
  if (fresh !== null) await showInPlace(ctx, videoCard(fresh, viewerOf(ctx)));
}
