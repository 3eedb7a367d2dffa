import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { actorOf, send, showInPlace } from "../../views/respond.js";
import { pageContaining } from "../../views/paging.js";
import type { ExportRequest } from "../../../services/export/export-service.js";
import { EXPORT_BUTTONS } from "./buttons.js";
import { exportsView } from "./views.js";

const requestAnswer = (r: ExportRequest): string =>
  r.queued.length > 0 ? `Queued ${r.queued.length} for HLS export${r.skipped.length > 0 ? ` (${r.skipped.length} skipped)` : ""}`
    : r.skipped.length > 0 ? `Not exported: ${r.skipped[0]?.why ?? ""}` : "Nothing to export in this category";

/** /exports: HLS exports for the web player, of one video (from its card) or a whole category. */
export const exportsFeature = defineFeature({
  name: "exports",
  uses: ["exports", "categories"],
  commands: { exports: "export" },
  buttons: Object.values(EXPORT_BUTTONS),
  prompts: [],
  create({ exports, categories }) {
    const composer = new Composer<BotContext>();

    composer.command("exports", async (ctx) => {
      await send(ctx, await exportsView(exports, categories));
    });
    onButton(composer, EXPORT_BUTTONS.page, async (ctx, { page }) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await exportsView(exports, categories, page));
    });
    onButton(composer, EXPORT_BUTTONS.video, async (ctx, { videoId }) => {
      await ctx.answerCallbackQuery({ text: requestAnswer(await exports.request(actorOf(ctx), [videoId], "video")) });
    });
    onButton(composer, EXPORT_BUTTONS.category, async (ctx, { categoryId }) => {
      await ctx.answerCallbackQuery({ text: requestAnswer(await exports.requestCategory(actorOf(ctx), categoryId)) });
      const page = pageContaining((await categories.list()).findIndex((c) => c.id === categoryId));
      await showInPlace(ctx, await exportsView(exports, categories, page));
    });
    return composer;
  },
});
