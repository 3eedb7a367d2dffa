import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton, type ButtonContext } from "../../callback-data/on-button.js";
import type { UploadQueueService } from "../../../services/publish/publish-service.js";
import { actorOf, send, showInPlace } from "../../views/respond.js";
import { queueViewFor } from "../../views/queue.js";
import { QUEUE_BUTTONS } from "./buttons.js";

type Decide = (uploads: UploadQueueService, ctx: ButtonContext, jobId: number) => Promise<string>;

const toFront: Decide = async (uploads, ctx, jobId) => ((await uploads.toFront(jobId, actorOf(ctx))) ? "Moved to the front" : "It is no longer waiting");

const cancel: Decide = async (uploads, ctx, jobId) => {
  const result = await uploads.cancel(jobId, actorOf(ctx));
  return result === "cancelled" ? "Cancelled" : result === "sending" ? "It is being sent right now" : "It is no longer waiting";
};

/** Resend or Mark sent, for an upload that may have reached its channel. */
const settle = (how: "resend" | "sent"): Decide => async (uploads, ctx, jobId) => {
  const result = await uploads.resolveUncertain(jobId, how, actorOf(ctx));
  return result === "done" ? (how === "resend" ? "It will be sent again" : "Recorded as sent") : result === "no-route" ? "Its category has no channel now"
    : result === "draft" ? "It was a draft for review: Resend it (it may then be in the review chat twice)" : "Already decided";
};

/** /queue: the upload queue, pause and resume it, retry, reorder, cancel, and decide about uncertain uploads. */
export const queueFeature = defineFeature({
  name: "queue",
  uses: ["uploads", "posts"],
  commands: { queue: "queue" },
  buttons: Object.values(QUEUE_BUTTONS),
  prompts: [],
  create(services) {
    const { uploads } = services;
    const composer = new Composer<BotContext>();
    // Every button answers with what it did, then shows the queue as it is now.
    const answered = async (ctx: ButtonContext, text: string): Promise<void> => {
      await ctx.answerCallbackQuery({ text });
      await showInPlace(ctx, await queueViewFor(services, ctx.role));
    };

    composer.command("queue", async (ctx) => {
      await send(ctx, await queueViewFor(services, ctx.role));
    });
    onButton(composer, QUEUE_BUTTONS.refresh, (ctx) => answered(ctx, "Refreshed"));
    onButton(composer, QUEUE_BUTTONS.pause, async (ctx) => {
      await uploads.setPaused(true, actorOf(ctx));
      await answered(ctx, "Paused: nothing is sent until you resume");
    });
    onButton(composer, QUEUE_BUTTONS.resume, async (ctx) => {
      await uploads.setPaused(false, actorOf(ctx));
      await answered(ctx, "Resumed");
    });
    onButton(composer, QUEUE_BUTTONS.retryFailed, async (ctx) => {
      const n = await uploads.retryFailed(actorOf(ctx));
      await answered(ctx, n === 0 ? "Nothing to retry" : `${n} back in the queue`);
    });
    const decisions = [[QUEUE_BUTTONS.toFront, toFront], [QUEUE_BUTTONS.cancel, cancel], [QUEUE_BUTTONS.resend, settle("resend")], [QUEUE_BUTTONS.markSent, settle("sent")]] as const;
    for (const [button, decide] of decisions) {
      onButton(composer, button, async (ctx, { jobId }) => answered(ctx, await decide(uploads, ctx, jobId)));
    }
    return composer;
  },
});
