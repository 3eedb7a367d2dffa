import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { processesHtml } from "../../views/processes.js";
import { actorOf } from "../../views/respond.js";

/** /workers: the processes that run jobs, what each runs now, its last heartbeat, and jobs done today. */
export const workersFeature = defineFeature({
  name: "workers",
  uses: ["processes"],
  commands: { workers: "workers" },
  buttons: [],
  prompts: [],
  create({ processes }) {
    const composer = new Composer<BotContext>();
    composer.command("workers", async (ctx) => {
      const overview = await processes.overview(actorOf(ctx));
      await ctx.reply(processesHtml(overview, Date.now()), { link_preview_options: { is_disabled: true } });
    });
    return composer;
  },
});
