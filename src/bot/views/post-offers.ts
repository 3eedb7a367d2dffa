import { InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { can } from "../../services/people/permissions.js";
import { html } from "../format.js";
import { label } from "./view.js";
import type { CatalogService } from "../../services/catalog/catalog-service.js";
import type { EnqueueReport } from "../../services/publish/publish-service.js";
import type { PublishedPosts } from "../../services/publish/published-posts.js";
import { formatCount } from "../../services/shared/units.js";
import { POST_BUTTONS } from "../features/publishing/buttons.js";

/** After a video changed: offer to update its published caption, or to move its post to its new channel. */
export async function offerPostUpdates(ctx: BotContext, services: { posts: PublishedPosts; catalog: CatalogService }, videoId: number): Promise<void> {
  // Updating or moving a post is publishing: editors' changes wait in /queue for an admin.
  if (!can(ctx.role, "publish")) return;
  const { posts, catalog } = services;
  const offers = await posts.offers(videoId);
  if (offers.staleCaptions.length === 0 && offers.move === null) return;
  const video = await catalog.video(videoId);
  const name = video?.fileName ?? `video ${videoId}`;
  const keyboard = new InlineKeyboard();
  const lines: string[] = [];
  if (offers.move !== null) {
    lines.push(html`📂 ${name} is posted in ${offers.move.from.channelTitle}, but its category now posts to ${offers.move.to}.`);
    keyboard.text(label(`📤 Post in ${offers.move.to}, delete the old post`, 60), POST_BUTTONS.move.pack({ videoId })).row();
  }
  if (offers.staleCaptions.length > 0) {
    lines.push(html`✏️ The caption of ${name} in ${offers.staleCaptions.map((p) => p.channelTitle).join(", ")} no longer matches its tags and category.`);
    keyboard.text("✏️ Update the published caption", POST_BUTTONS.updateCaption.pack({ videoId })).row();
  }
  keyboard.text("Leave it", POST_BUTTONS.leave.pack({ videoId }));
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard });
}

/** A short answer for a publish request. */
export function enqueueAnswer(report: EnqueueReport): string {
  if (report.queued.length > 0) return report.queued.length === 1 ? "Queued for its channel" : `${formatCount(report.queued.length)} queued`;
  if (report.already.length > 0) return "It is already in the queue";
  if (report.alreadySent[0] !== undefined) return `Already posted in ${report.alreadySent[0].channel}`;
  return `Not queued: ${report.unroutable[0]?.why ?? "nothing to send"}`;
}
