import { CARD_BUTTONS } from "./buttons.js";
import { onCardButton, refreshCard, type CardHandlers } from "./card-button.js";
import { enqueueAnswer } from "../../views/post-offers.js";
import { actorOf, EXPIRED } from "../../views/respond.js";

/** Sending the card's video to its channel (again, for admins), and taking the upload back. */
export const installPublishing: CardHandlers = (composer, services) => {
  const { uploads } = services;

  for (const [button, force] of [[CARD_BUTTONS.send, false], [CARD_BUTTONS.sendAgain, true]] as const) {
    onCardButton(composer, services, button, async (ctx, video) => {
      const report = await uploads.enqueue([video.id], "card", actorOf(ctx), { force });
      await refreshCard(ctx, services, video.id, enqueueAnswer(report));
    });
  }

  onCardButton(composer, services, CARD_BUTTONS.cancelUpload, async (ctx, video, { uploadId }) => {
    const result = await uploads.cancel(uploadId, actorOf(ctx));
    await refreshCard(ctx, services, video.id, { cancelled: "Upload cancelled", sending: "It is being sent right now", finished: "That upload already finished", missing: EXPIRED }[result]);
  });
};
