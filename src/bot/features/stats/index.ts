import { Composer, InputFile } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { actorOf } from "../../views/respond.js";
import { statsText } from "./views.js";

/** /stats: the figures as text, then the weekly chart. */
export const statsFeature = defineFeature({
  name: "stats",
  uses: ["stats"],
  commands: { stats: "stats" },
  buttons: [],
  prompts: [],
  create({ stats }) {
    const composer = new Composer<BotContext>();
    composer.command("stats", async (ctx) => {
      const report = await stats.report(actorOf(ctx));
      await ctx.reply(statsText(report), { link_preview_options: { is_disabled: true } });
      const chart = await stats.weeklyChart(report.weeks);
      await ctx.replyWithPhoto(new InputFile(chart, "vidlib-weekly.png"), { caption: "Weekly figures: posts per channel, and the library's size (last 8 weeks)." });
    });
    return composer;
  },
});
