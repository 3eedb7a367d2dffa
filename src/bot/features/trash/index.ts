import { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { escapeHtml } from "../../format.js";
import type { TrashService, TrashSource } from "../../../services/trash/trash.js";
import { actorOf, EXPIRED, send, showInPlace } from "../../views/respond.js";
import { TRASH_BUTTONS } from "./buttons.js";
import { TRASH_SOURCES, trashView } from "./views.js";

/** Puts a file back; from the list (`again`) the list is redrawn, from a pair's ↩ Undo it is not. */
async function restore(ctx: BotContext, trash: TrashService, source: TrashSource, id: number, again: boolean): Promise<void> {
  const result = await trash.restore(actorOf(ctx), source, id);
  await ctx.answerCallbackQuery({ text: result.ok ? "Restored" : `Not restored: ${result.reason}`, show_alert: !result.ok });
  if (!result.ok) return;
  const hint = source === "sync" ? " If it is still missing from the sync source, the next sync offers to remove it again." : "";
  await ctx.reply(`↩ Restored to ${escapeHtml(result.path)}.${hint}`);
  if (again) await showInPlace(ctx, trashView(await trash.entries(actorOf(ctx)), 0, Date.now()));
}

/** /trash: files moved by the clean-up or by a sync, restored with one tap. */
export const trashFeature = defineFeature({
  name: "trash",
  uses: ["trash"],
  commands: { trash: "delete" },
  buttons: Object.values(TRASH_BUTTONS),
  prompts: [],
  create({ trash }) {
    const composer = new Composer<BotContext>();
    const page = async (ctx: BotContext, n: number) => trashView(await trash.entries(actorOf(ctx)), n, Date.now());

    composer.command("trash", async (ctx) => {
      await send(ctx, await page(ctx, 0));
    });
    onButton(composer, TRASH_BUTTONS.page, async (ctx, values) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await page(ctx, values.page));
    });
    onButton(composer, TRASH_BUTTONS.restore, async (ctx, { source, entryId }) => {
      const from = TRASH_SOURCES[source];
      if (from === undefined) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await restore(ctx, trash, from, entryId, true);
    });
    onButton(composer, TRASH_BUTTONS.undo, async (ctx, { moveId }) => {
      await restore(ctx, trash, "dupes", moveId, false);
    });
    return composer;
  },
});
