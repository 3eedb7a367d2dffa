import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { can } from "../../services/permissions.js";
import { EXPIRED, pressed, send, showInPlace, actorOf } from "../views/respond.js";
import { QUEUE, queueView } from "../views/queue.js";

export const queueFeature = new Composer<BotContext>();

/** /queue as this person may see it: the controls only for those who publish. */
export async function queueViewFor(ctx: BotContext): Promise<ReturnType<typeof queueView>> {
  const { uploads, posts } = ctx.deps.services;
  return queueView(await uploads.overview(20), Date.now(), { staleCaptions: (await posts.staleCaptions()).length, misplaced: (await posts.misplaced()).length },
    can(ctx.role, "publish"));
}

queueFeature.command("queue", async (ctx) => {
  await send(ctx, await queueViewFor(ctx));
});

queueFeature.callbackQuery(/^q:/, async (ctx) => {
  const button = pressed(ctx, QUEUE);
  const id = button?.ids[0] ?? 0;
  const { uploads } = ctx.deps.services;
  const actor = actorOf(ctx);
  let answer: string;
  switch (button?.data.verb) {
    case "l": answer = "Refreshed"; break;
    case "P": await uploads.setPaused(true, actor); answer = "Paused: nothing is sent until you resume"; break;
    case "R": await uploads.setPaused(false, actor); answer = "Resumed"; break;
    case "F": {
      const n = await uploads.retryFailed(actor);
      answer = n === 0 ? "Nothing to retry" : `${n} back in the queue`;
      break;
    }
    case "t": answer = (await uploads.toFront(id, actor)) ? "Moved to the front" : "It is no longer waiting"; break;
    case "x": {
      const result = await uploads.cancel(id, actor);
      answer = result === "cancelled" ? "Cancelled" : result === "sending" ? "It is being sent right now" : "It is no longer waiting";
      break;
    }
    case "rs":
    case "ms": {
      const result = await uploads.resolveUncertain(id, button.data.verb === "rs" ? "resend" : "sent", actor);
      answer = result === "done" ? (button.data.verb === "rs" ? "It will be sent again" : "Recorded as sent") : result === "no-route" ? "Its category has no channel now"
        : result === "draft" ? "It was a draft for review: Resend it (it may then be in the review chat twice)" : "Already decided";
      break;
    }
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
      return;
  }
  await ctx.answerCallbackQuery({ text: answer });
  await showInPlace(ctx, await queueViewFor(ctx));
});
