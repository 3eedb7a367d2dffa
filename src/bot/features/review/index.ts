import { Composer, GrammyError } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import { escapeHtml, html } from "../../format.js";
import { actorOf, EXPIRED, showInPlace, who } from "../../views/respond.js";
import { queueViewFor } from "../../views/queue.js";
import type { ReviewDecision, ReviewService } from "../../../services/publish/review.js";
import { REVIEW_BUTTONS } from "./buttons.js";

function decisionText(decision: ReviewDecision): string {
  switch (decision.kind) {
    case "approved": return `Approved: it is posted in ${decision.channel} in a moment`;
    case "rejected": return decision.uploaderTold === false ? "Rejected. The person who queued it could not be told (they have not started the bot)." : "Rejected";
    case "not-waiting": return decision.state === null ? EXPIRED : "Someone already decided about this draft";
    case "no-route": return `Not approved: ${decision.why}`;
  }
}

/** The reason typed after ❌ Reject, in the private chat of the person who pressed it. */
function rejectReasonPrompt(reviews: ReviewService) {
  return definePrompt("reject-reason", z.object({ jobId: z.number().int() }), async (ctx, { jobId }, text) => {
    const decision = await reviews.reject(jobId, text, actorOf(ctx));
    await ctx.prompt.clear();
    const told = decision.kind === "rejected" && decision.uploaderTold === true ? " The person who queued it was told why." : "";
    await ctx.reply(decision.kind === "rejected" ? html`❌ ${decision.fileName} was rejected and stays in the library.` + told : escapeHtml(decisionText(decision)));
  });
}

/** Approve or reject drafts waiting for review, in the review chat or beside them in /queue. */
export const reviewFeature = defineFeature({
  name: "review",
  uses: ["reviews", "uploads", "posts"],
  commands: {},
  buttons: Object.values(REVIEW_BUTTONS),
  prompts: ["reject-reason"],
  create(services) {
    const { reviews, uploads } = services;
    const composer = new Composer<BotContext>();
    const reason = rejectReasonPrompt(reviews);
    // /queue draws these buttons beside its drafts (a text message); the review chat draws them under the draft's video.
    const fromQueue = (ctx: BotContext): boolean => ctx.chat?.type === "private" && ctx.callbackQuery?.message?.video === undefined;

    onButton(composer, REVIEW_BUTTONS.approve, async (ctx, { jobId }) => {
      const decision = await reviews.approve(jobId, actorOf(ctx));
      await ctx.answerCallbackQuery({ text: decisionText(decision), show_alert: decision.kind === "no-route" });
      if (fromQueue(ctx)) await showInPlace(ctx, await queueViewFor(services, ctx.role));
    });
    onButton(composer, REVIEW_BUTTONS.reject, async (ctx, { jobId }) => {
      const job = await uploads.job(jobId);
      if (job?.state !== "review") {
        await ctx.answerCallbackQuery({ text: job === null ? EXPIRED : "Someone already decided about this draft" });
        return;
      }
      const userId = who(ctx).userId;
      // The reason is typed in the private chat with the bot, wherever the button was pressed.
      try {
        await ctx.api.sendMessage(userId, "Why is it rejected? Send the reason (the person who queued it is told), or /cancel to leave the draft waiting.");
      } catch (error) {
        if (!(error instanceof GrammyError)) throw error;
        await ctx.answerCallbackQuery({ text: "Open a private chat with me and send /start first: the reason is asked there.", show_alert: true });
        return;
      }
      await reason.ask(ctx, { jobId: job.id }, userId);
      await ctx.answerCallbackQuery({ text: ctx.chat?.type === "private" ? "Send the reason" : "Send the reason in your chat with me" });
    });
    composer.use(reason.middleware);
    return composer;
  },
});
