import { Composer, GrammyError } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml, html } from "../format.js";
import { actorOf, EXPIRED, pressed, showInPlace, who } from "../views/respond.js";
import { REVIEW } from "../views/review.js";
import type { ReviewDecision } from "../../services/publish/review.js";
import { queueViewFor } from "./queue.js";

export const reviewFeature = new Composer<BotContext>();

function decisionText(decision: ReviewDecision): string {
  switch (decision.kind) {
    case "approved": return `Approved: it is posted in ${decision.channel} in a moment`;
    case "rejected": return decision.uploaderTold === false ? "Rejected. The person who queued it could not be told (they have not started the bot)." : "Rejected";
    case "not-waiting": return decision.state === null ? EXPIRED : "Someone already decided about this draft";
    case "no-route": return `Not approved: ${decision.why}`;
  }
}

/** The reason typed after ❌ Reject. */
export async function onTypedRejectReason(ctx: BotContext, jobId: number, text: string): Promise<void> {
  const decision = await ctx.deps.services.reviews.reject(jobId, text, actorOf(ctx));
  await ctx.deps.services.chat.clearPrompt(who(ctx).chatId);
  const told = decision.kind === "rejected" && decision.uploaderTold === true ? " The person who queued it was told why." : "";
  await ctx.reply(decision.kind === "rejected" ? html`❌ ${decision.fileName} was rejected and stays in the library.` + told : escapeHtml(decisionText(decision)), { parse_mode: "HTML" });
}

reviewFeature.callbackQuery(/^r:/, async (ctx) => {
  const button = pressed(ctx, REVIEW);
  const jobId = button?.ids[0];
  const { reviews, uploads, chat } = ctx.deps.services;
  const fromQueue = ctx.chat?.type === "private" && ctx.callbackQuery.message?.video === undefined;
  switch (jobId === undefined ? undefined : button?.data.verb) {
    case "a": {
      const decision = await reviews.approve(jobId ?? 0, actorOf(ctx));
      await ctx.answerCallbackQuery({ text: decisionText(decision), show_alert: decision.kind === "no-route" });
      if (fromQueue) await showInPlace(ctx, await queueViewFor(ctx));
      return;
    }
    case "x": {
      const job = await uploads.job(jobId ?? 0);
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
      await chat.setPrompt(userId, { kind: "reject-reason", jobId: job.id });
      await ctx.answerCallbackQuery({ text: ctx.chat?.type === "private" ? "Send the reason" : "Send the reason in your chat with me" });
      return;
    }
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
  }
});
