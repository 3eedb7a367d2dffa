import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { processesHtml } from "../views/processes.js";
import { actorOf } from "../views/respond.js";

export const workersFeature = new Composer<BotContext>();

/** /workers: the processes that run jobs, what each runs now, its last heartbeat, and jobs done today. */
workersFeature.command("workers", async (ctx) => {
  const processes = await ctx.deps.services.processes.overview(actorOf(ctx));
  await ctx.reply(processesHtml(processes, Date.now()), { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
});
