import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { commandsFor } from "../commands.js";
import type { Role } from "../../entities/user.js";
import { escapeHtml, html } from "../format.js";
import { openCard } from "./video-card.js";

export const welcomeFeature = new Composer<BotContext>();

const INTRO =
  "vidlib manages the organisation's lecture video library: it indexes the video folders, finds any " +
  "lecture by name, tag or category, converts recordings to streamable MP4 and publishes each video to " +
  "the channel of its category.";

/** The intro and the commands this role may use. */
export function helpText(role: Role): string {
  const lines = commandsFor(role).map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  return [escapeHtml(INTRO), "", `<b>Commands</b> (your role: ${role})`, ...lines].join("\n");
}

welcomeFeature.command("start", async (ctx) => {
  // "Open card" links from inline results arrive as /start v<id>.
  const card = /^v(\d{1,15})$/.exec(ctx.match);
  if (card !== null) return openCard(ctx, Number(card[1]));
  const name = ctx.from?.first_name ?? "";
  await ctx.reply(html`Welcome to vidlib, ${name}!` + "\n\n" + helpText(ctx.role ?? "viewer"), { parse_mode: "HTML" });
});

welcomeFeature.command("help", async (ctx) => {
  await ctx.reply(helpText(ctx.role ?? "viewer"), { parse_mode: "HTML" });
});
