import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import type { CommandMenu } from "../../command-menu.js";
import type { Role } from "../../../entities/user.js";
import { escapeHtml, html } from "../../format.js";
import { openCard } from "../../views/open-card.js";

const INTRO =
  "vidlib manages the organisation's lecture video library: it indexes the video folders, finds any " +
  "lecture by name, tag or category, converts recordings to streamable MP4 and publishes each video to " +
  "the channel of its category.";

/** The intro and the commands this role may use. */
function helpText(menu: CommandMenu, role: Role): string {
  const lines = menu.for(role).map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  return [escapeHtml(INTRO), "", `<b>Commands</b> (your role: ${role})`, ...lines].join("\n");
}

/** /start (also how an inline result's "Open card" link arrives) and /help. */
export const welcomeFeature = defineFeature({
  name: "welcome",
  uses: ["catalog", "chat", "menu"],
  commands: { start: "anyone", help: "anyone" },
  buttons: [],
  prompts: [],
  create(services) {
    const composer = new Composer<BotContext>();

    composer.command("start", async (ctx) => {
      // "Open card" links from inline results arrive as /start v<id>.
      const card = /^v(\d{1,15})$/.exec(ctx.match);
      if (card !== null) return openCard(ctx, services, Number(card[1]));
      const name = ctx.from?.first_name ?? "";
      await ctx.reply(html`Welcome to vidlib, ${name}!` + "\n\n" + helpText(services.menu, ctx.role ?? "viewer"));
    });

    composer.command("help", async (ctx) => {
      await ctx.reply(helpText(services.menu, ctx.role ?? "viewer"));
    });
    return composer;
  },
});
