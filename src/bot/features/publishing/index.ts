import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { escapeHtml, html } from "../../format.js";
import type { Actor } from "../../../services/people/actor.js";
import type { PublishedPosts } from "../../../services/publish/published-posts.js";
import { formatCount } from "../../../services/shared/units.js";
import { enqueueAnswer } from "../../views/post-offers.js";
import { actorOf, EXPIRED, showInPlace } from "../../views/respond.js";
import { POST_BUTTONS } from "./buttons.js";

/** Updates every stale caption and moves every misplaced post; the summary for the person who asked. */
async function fixAllPosts(posts: PublishedPosts, what: "captions" | "moves", actor: Actor): Promise<string> {
  if (what === "captions") {
    const result = await posts.updateCaptions(await posts.staleCaptions(), actor);
    return `✏️ ${formatCount(result.updated)} captions updated.` + (result.failed.length > 0 ? html` ${result.failed.length} failed: ${result.failed.slice(0, 3).join("; ")}` : "");
  }
  let queued = 0;
  for (const videoId of await posts.misplaced()) queued += (await posts.move(videoId, actor))?.queued.length ?? 0;
  return `📤 ${formatCount(queued)} videos queued for their new channel; each old post is deleted once the new one is up.`;
}

// Each answer replaces the offer, without buttons, so that it cannot be pressed twice.
const done = (ctx: BotContext, text: string): Promise<void> => showInPlace(ctx, { text, keyboard: new InlineKeyboard() });

/** The offers made after a video changed (or in /queue for all): update published captions, move posts to their new channel. */
export const publishingFeature = defineFeature({
  name: "publishing",
  uses: ["posts"],
  commands: {},
  buttons: Object.values(POST_BUTTONS),
  prompts: [],
  create({ posts }) {
    const composer = new Composer<BotContext>();

    onButton(composer, POST_BUTTONS.updateCaption, async (ctx, { videoId }) => {
      await ctx.answerCallbackQuery({ text: "Updating…" });
      const result = await posts.updateCaptions((await posts.offers(videoId)).staleCaptions, actorOf(ctx));
      const text = result.updated === 0 && result.failed.length === 0 ? "The captions already match." : `✏️ ${result.updated} caption${result.updated === 1 ? "" : "s"} updated.` +
        (result.failed.length > 0 ? html` Not updated: ${result.failed.join("; ")}` : "");
      await done(ctx, text);
    });

    onButton(composer, POST_BUTTONS.move, async (ctx, { videoId }) => {
      const report = await posts.move(videoId, actorOf(ctx));
      await ctx.answerCallbackQuery({ text: report === null ? "Nothing to move any more" : enqueueAnswer(report) });
      const text = report === null ? "Nothing to move any more." : report.queued.length > 0 ? "📤 Queued for its new channel; the old post is deleted once the new one is up. /queue shows it." : escapeHtml(enqueueAnswer(report));
      await done(ctx, text);
    });

    for (const [button, what] of [[POST_BUTTONS.updateAllCaptions, "captions"], [POST_BUTTONS.moveAll, "moves"]] as const) {
      onButton(composer, button, async (ctx) => {
        await ctx.answerCallbackQuery({ text: "Working…" });
        await done(ctx, await fixAllPosts(posts, what, actorOf(ctx)));
      });
    }

    onButton(composer, POST_BUTTONS.leave, async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Left as it is" });
      await done(ctx, "Left as it is. /queue offers it again later.");
    });

    // A post button of a verb no longer drawn answers as it always did.
    composer.callbackQuery(/^p:/u, async (ctx) => {
      await ctx.answerCallbackQuery({ text: EXPIRED });
    });
    return composer;
  },
});
