import type { BotContext } from "../context.js";
import type { CatalogService } from "../../services/catalog/catalog-service.js";
import type { ChatStateService } from "../../services/chat/chat-state.js";
import { send, viewerOf, who } from "./respond.js";
import { videoCard } from "./video-card.js";

/** Said when a button or link names a video that has left the library. */
export const GONE = "This video is no longer in the library — search again.";

/** Sends a video's card as a new message and remembers it, so that it is edited when the video changes. */
export async function openCard(ctx: BotContext, services: { catalog: CatalogService; chat: ChatStateService }, videoId: number): Promise<void> {
  const video = await services.catalog.video(videoId);
  if (video === null) {
    await ctx.reply(GONE);
    return;
  }
  const messageId = await send(ctx, videoCard(video, viewerOf(ctx)));
  await services.chat.addCard(who(ctx).chatId, messageId, video.id);
}
