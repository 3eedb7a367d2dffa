import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { COMMANDS } from "../commands.js";
import { escapeHtml, html } from "../format.js";
import { openCard } from "./video-card.js";

export const welcomeFeature = new Composer<BotContext>();

const INTRO =
  "vidlib manages the organisation's lecture video library: it indexes the video folders, finds any " +
  "lecture by name, tag or category, converts recordings to streamable MP4 and publishes each video to " +
  "the channel of its category.";

export function helpText(): string {
  const lines = COMMANDS.map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  return [escapeHtml(INTRO), "", "<b>Commands</b>", ...lines].join("\n");
}

welcomeFeature.command("start", async (ctx) => {
  // "Open card" links from inline results arrive as /start v<id>.
  const card = /^v(\d{1,15})$/.exec(ctx.match);
  if (card !== null) return openCard(ctx, Number(card[1]));
  const name = ctx.from?.first_name ?? "";
  await ctx.reply(html`Welcome to vidlib, ${name}!` + "\n\n" + helpText(), { parse_mode: "HTML" });
});

welcomeFeature.command("help", async (ctx) => {
  await ctx.reply(helpText(), { parse_mode: "HTML" });
});
