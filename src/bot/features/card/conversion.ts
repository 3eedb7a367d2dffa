import { CARD_BUTTONS } from "./buttons.js";
import { onCardButton, refreshCard, type CardHandlers } from "./card-button.js";
import { actorOf, EXPIRED } from "../../views/respond.js";

/** Converting the card's video to MP4, and cancelling that. */
export const installConversion: CardHandlers = (composer, services) => {
  const { conversions } = services;

  onCardButton(composer, services, CARD_BUTTONS.convert, async (ctx, video) => {
    const report = await conversions.request([video.id], "card", actorOf(ctx));
    const text = report.queued.length > 0 ? "Queued for conversion" : report.already.length > 0 ? "It is already queued"
      : report.notNeeded.length > 0 ? "It is already a playable MP4, or has one" : `It cannot be converted: ${report.impossible[0]?.why ?? "unknown reason"}`;
    await refreshCard(ctx, services, video.id, text);
  });

  onCardButton(composer, services, CARD_BUTTONS.cancelConversion, async (ctx, video, { jobId }) => {
    const result = await conversions.cancel(jobId, actorOf(ctx));
    const text = { cancelled: "Conversion cancelled", stopping: "Stopping the conversion…", finished: "That conversion already finished", missing: EXPIRED }[result];
    await refreshCard(ctx, services, video.id, text);
  });
};
