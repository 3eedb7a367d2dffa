import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { can } from "../../services/permissions.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml, html } from "../format.js";
import type { Actor } from "../../services/actor.js";
import type { EnqueueReport } from "../../services/publish/publish-service.js";
import { formatCount } from "../../services/units.js";
import { EXPIRED, pressed, showInPlace, actorOf } from "../views/respond.js";

export const POSTS = "p";
export const publishingFeature = new Composer<BotContext>();

/** After a video changed: offer to update its published caption, or to move its post to its new channel. */
export async function offerPostUpdates(ctx: BotContext, videoId: number): Promise<void> {
  // Updating or moving a post is publishing: editors' changes wait in /queue for an admin.
  if (!can(ctx.role, "publish")) return;
  const { posts, catalog } = ctx.deps.services;
  const offers = await posts.offers(videoId);
  if (offers.staleCaptions.length === 0 && offers.move === null) return;
  const video = await catalog.video(videoId);
  const name = video?.fileName ?? `video ${videoId}`;
  const keyboard = new InlineKeyboard();
  const lines: string[] = [];
  if (offers.move !== null) {
    lines.push(html`📂 ${name} is posted in ${offers.move.from.channelTitle}, but its category now posts to ${offers.move.to}.`);
    keyboard.text(`📤 Post in ${offers.move.to}, delete the old post`.slice(0, 60), encodeCallback(POSTS, "mv", videoId)).row();
  }
  if (offers.staleCaptions.length > 0) {
    lines.push(html`✏️ The caption of ${name} in ${offers.staleCaptions.map((p) => p.channelTitle).join(", ")} no longer matches its tags and category.`);
    keyboard.text("✏️ Update the published caption", encodeCallback(POSTS, "uc", videoId)).row();
  }
  keyboard.text("Leave it", encodeCallback(POSTS, "no", videoId));
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
}

/** A short answer for a publish request. */
export function enqueueAnswer(report: EnqueueReport): string {
  if (report.queued.length > 0) return report.queued.length === 1 ? "Queued for its channel" : `${formatCount(report.queued.length)} queued`;
  if (report.already.length > 0) return "It is already in the queue";
  if (report.alreadySent[0] !== undefined) return `Already posted in ${report.alreadySent[0].channel}`;
  return `Not queued: ${report.unroutable[0]?.why ?? "nothing to send"}`;
}

/** Updates every stale caption and moves every misplaced post; the summary for the person who asked. */
export async function fixAllPosts(ctx: BotContext, what: "captions" | "moves", actor: Actor): Promise<string> {
  const { posts } = ctx.deps.services;
  if (what === "captions") {
    const result = await posts.updateCaptions(await posts.staleCaptions(), actor);
    return `✏️ ${formatCount(result.updated)} captions updated.` + (result.failed.length > 0 ? html` ${result.failed.length} failed: ${result.failed.slice(0, 3).join("; ")}` : "");
  }
  let queued = 0;
  for (const videoId of await posts.misplaced()) queued += (await posts.move(videoId, actor))?.queued.length ?? 0;
  return `📤 ${formatCount(queued)} videos queued for their new channel; each old post is deleted once the new one is up.`;
}

publishingFeature.callbackQuery(/^p:/, async (ctx) => {
  const button = pressed(ctx, POSTS);
  const videoId = button?.ids[0] ?? 0;
  const { posts } = ctx.deps.services;
  const actor = actorOf(ctx);
  switch (button?.data.verb) {
    case "uc": {
      await ctx.answerCallbackQuery({ text: "Updating…" });
      const result = await posts.updateCaptions((await posts.offers(videoId)).staleCaptions, actor);
      const text = result.updated === 0 && result.failed.length === 0 ? "The captions already match." : `✏️ ${result.updated} caption${result.updated === 1 ? "" : "s"} updated.` +
        (result.failed.length > 0 ? html` Not updated: ${result.failed.join("; ")}` : "");
      return showInPlace(ctx, { text, keyboard: new InlineKeyboard() });
    }
    case "mv": {
      const report = await posts.move(videoId, actor);
      await ctx.answerCallbackQuery({ text: report === null ? "Nothing to move any more" : enqueueAnswer(report) });
      const text = report === null ? "Nothing to move any more." : report.queued.length > 0 ? "📤 Queued for its new channel; the old post is deleted once the new one is up. /queue shows it." : escapeHtml(enqueueAnswer(report));
      return showInPlace(ctx, { text, keyboard: new InlineKeyboard() });
    }
    case "ua":
    case "ma": {
      await ctx.answerCallbackQuery({ text: "Working…" });
      return showInPlace(ctx, { text: await fixAllPosts(ctx, button.data.verb === "ua" ? "captions" : "moves", actor), keyboard: new InlineKeyboard() });
    }
    case "no":
      await ctx.answerCallbackQuery({ text: "Left as it is" });
      return showInPlace(ctx, { text: "Left as it is. /queue offers it again later.", keyboard: new InlineKeyboard() });
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
  }
});
