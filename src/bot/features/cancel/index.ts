import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";

/** /cancel: leaves any dialogue and forgets any question. First in the list, so it reaches the bot even mid-dialogue. */
export const cancelFeature = defineFeature({
  name: "cancel",
  uses: [],
  commands: { cancel: "anyone" },
  buttons: [],
  prompts: [],
  create() {
    const composer = new Composer<BotContext>();
    composer.command("cancel", async (ctx) => {
      const prompted = (await ctx.prompt.pending()) !== null;
      await ctx.prompt.clear();
      const active = Object.keys(ctx.conversation.active()).length > 0 || prompted;
      await ctx.conversation.exitAll();
      await ctx.reply(active ? "Stopped. What was already saved stays saved." : "There is nothing to cancel.");
    });
    return composer;
  },
});
