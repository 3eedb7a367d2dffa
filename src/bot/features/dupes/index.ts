import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import type { Button } from "../../callback-data/button.js";
import type { DupeService, PairAction, PairView } from "../../../services/dupes/dupe-service.js";
import { formatCount } from "../../../services/shared/units.js";
import { actorOf, EXPIRED, send, showInPlace } from "../../views/respond.js";
import { DUPE_BUTTONS } from "./buttons.js";
import { caption, pairKeyboard, resultText, summaryView, undoKeyboard } from "./views.js";

/** Sends one pair as a picture (a frame of each, side by side) with the facts and buttons. */
async function sendPair(ctx: BotContext, dupes: DupeService, view: PairView): Promise<void> {
  const picture = await dupes.picture(view);
  if (picture === null) {
    await send(ctx, { text: caption(view, "(No picture: ffmpeg could not read a frame from one of the files.)"), keyboard: pairKeyboard(view) });
    return;
  }
  try {
    await ctx.replyWithPhoto(new InputFile(picture), { caption: caption(view, null), reply_markup: pairKeyboard(view) });
  } finally {
    await dupes.discardPicture(picture);
  }
}

async function showNextOrDone(ctx: BotContext, dupes: DupeService, pairId: number): Promise<void> {
  const next = await dupes.next(pairId);
  if (next === null) await ctx.reply("That was the last pair. /dupes looks again; /trash restores what was deleted.");
  else await sendPair(ctx, dupes, next);
}

/** Rewrites the pressed pair message (a photo's caption, or the text) with the result, leaving only an Undo button. */
async function markPair(ctx: BotContext, view: PairView, result: string, moveId: number | null): Promise<void> {
  const keyboard = undoKeyboard(moveId);
  const text = caption(view, result);
  if (ctx.callbackQuery?.message?.photo !== undefined) await ctx.editMessageCaption({ caption: text, reply_markup: keyboard });
  else await showInPlace(ctx, { text, keyboard });
}

/** The question before acting on every verified pair listed with this one. */
async function askAll(ctx: BotContext, dupes: DupeService, days: number, view: PairView, mode: number): Promise<void> {
  const all = mode === 1 ? "delete" : "archive";
  const n = formatCount((await dupes.verifiedIn(view.pair.listedAt)).length);
  await ctx.answerCallbackQuery();
  const where = all === "delete" ? `to the trash (kept ${days} days; /trash restores)` : "to the archive folder";
  const pairId = view.pair.id;
  await ctx.reply(`Move file A of ${n === "1" ? "the 1 verified pair" : `all ${n} verified pairs`} ${where}? Pairs whose files changed since they were shown are skipped.`,
    { reply_markup: new InlineKeyboard().text(`✅ ${all === "delete" ? "Delete" : "Archive"} ${n}`, DUPE_BUTTONS.confirmAll.pack({ pairId, mode }))
      .text("Cancel", DUPE_BUTTONS.cancelAll.pack({ pairId })) });
}

const ACTIONS = [[DUPE_BUTTONS.remove, "delete"], [DUPE_BUTTONS.archive, "archive"], [DUPE_BUTTONS.keep, "keep"], [DUPE_BUTTONS.convert, "convert"]] as const satisfies readonly (readonly [unknown, PairAction])[];

/** /dupes: .ts/.mp4 pairs and exact copies, reviewed one by one or cleaned up all at once. */
export const dupesFeature = defineFeature({
  name: "dupes",
  uses: ["dupes", "settings"],
  commands: { dupes: "delete" },
  buttons: Object.values(DUPE_BUTTONS),
  prompts: [],
  create({ dupes, settings }) {
    const composer = new Composer<BotContext>();

    composer.command("dupes", async (ctx) => {
      const status = await ctx.reply("🔍 Looking for duplicates (exact copies are confirmed by reading them in full)…");
      const { pairs } = await dupes.find();
      const { text, keyboard } = summaryView(pairs);
      await ctx.api.editMessageText(status.chat.id, status.message_id, text, { ...(keyboard ? { reply_markup: keyboard } : {}) });
    });

    // Every button names a pair; one that is gone (listed by an older /dupes) makes the menu stale.
    const onPair = (button: Button<{ readonly pairId: "id" }>, handle: (ctx: BotContext, view: PairView) => Promise<void>) =>
      onButton(composer, button, async (ctx, { pairId }) => {
        const view = await dupes.view(pairId);
        if (view === null) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
        await handle(ctx, view);
      });
    for (const [button, action] of ACTIONS) {
      onPair(button, async (ctx, view) => {
        const outcome = await dupes.act(view.pair.id, action, actorOf(ctx));
        await ctx.answerCallbackQuery({ text: outcome.kind === "done" ? "Done" : "Nothing was done" });
        await markPair(ctx, view, resultText(outcome, settings.current.trashDays), outcome.kind === "done" ? outcome.moveId : null);
        if (outcome.kind === "done") await showNextOrDone(ctx, dupes, view.pair.id);
      });
    }
    onPair(DUPE_BUTTONS.review, async (ctx, view) => {
      await ctx.answerCallbackQuery();
      await sendPair(ctx, dupes, view);
    });
    onPair(DUPE_BUTTONS.next, async (ctx, view) => {
      await ctx.answerCallbackQuery();
      await showNextOrDone(ctx, dupes, view.pair.id);
    });
    onPair(DUPE_BUTTONS.cancelAll, async (ctx) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, { text: "Cancelled. Nothing was changed.", keyboard: new InlineKeyboard() });
    });
    onButton(composer, DUPE_BUTTONS.all, async (ctx, { pairId, mode }) => {
      const view = await dupes.view(pairId);
      if (view === null) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await askAll(ctx, dupes, settings.current.trashDays, view, mode);
    });
    onButton(composer, DUPE_BUTTONS.confirmAll, async (ctx, { pairId, mode }) => {
      const view = await dupes.view(pairId);
      if (view === null) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      const all = mode === 1 ? "delete" : "archive";
      await ctx.answerCallbackQuery({ text: "Working…" });
      const { done, skipped } = await dupes.applyAll(view.pair.listedAt, all, actorOf(ctx));
      await showInPlace(ctx, { text: `✅ ${formatCount(done)} moved ${all === "delete" ? "to the trash" : "to the archive"}${skipped > 0 ? `; ${formatCount(skipped)} skipped (changed since shown, already handled, or no longer safe to move)` : ""}. ${done === 1 ? "/trash restores it." : "/trash restores them."}`, keyboard: new InlineKeyboard() });
    });
    return composer;
  },
});
