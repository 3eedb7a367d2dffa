import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { actorOf, EXPIRED, send, showInPlace } from "../../views/respond.js";
import { CONVERSION_BUTTONS } from "./buttons.js";
import { conversionQueueView } from "./views.js";

/** /convert: the conversions to MP4, with cancel, retry and refresh. */
export const conversionsFeature = defineFeature({
  name: "conversions",
  uses: ["conversions", "settings"],
  commands: { convert: "convert" },
  buttons: Object.values(CONVERSION_BUTTONS),
  prompts: [],
  create({ conversions, settings }) {
    const composer = new Composer<BotContext>();
    const view = () => conversionQueueView(conversions, settings);

    composer.command("convert", async (ctx) => {
      await send(ctx, await view());
    });
    onButton(composer, CONVERSION_BUTTONS.cancel, async (ctx, { jobId }) => {
      const result = await conversions.cancel(jobId, actorOf(ctx));
      await ctx.answerCallbackQuery({ text: { cancelled: "Cancelled", stopping: "Stopping it…", finished: "It already finished", missing: EXPIRED }[result] });
      await showInPlace(ctx, await view());
    });
    onButton(composer, CONVERSION_BUTTONS.retryFailed, async (ctx) => {
      const n = await conversions.retryFailed(actorOf(ctx));
      await ctx.answerCallbackQuery({ text: n === 0 ? "Nothing to retry" : `${n} queued again` });
      await showInPlace(ctx, await view());
    });
    onButton(composer, CONVERSION_BUTTONS.refresh, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await view());
    });
    return composer;
  },
});
