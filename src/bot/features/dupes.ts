import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { fileFacts, type ActOutcome, type PairAction, type PairView } from "../../services/dupes/dupe-service.js";
import type { DupeVideo } from "../../services/dupes/pairs.js";
import { formatCount } from "../../services/units.js";
import { CAPTION_LIMIT, telegramLength, trimToLimit } from "../../infra/telegram/limits.js";
import { EXPIRED, pressed, send, showInPlace, actorOf } from "../views/respond.js";

export const DUPES = "d";
export const dupesFeature = new Composer<BotContext>();

const folder = (v: DupeVideo): string => {
  const cut = v.relativePath.lastIndexOf("/");
  return cut < 0 ? "(library root)" : v.relativePath.slice(0, cut);
};
const counted = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;
/** Long names are shortened in the middle (whole characters), so the start and the ending both show. */
const short = (s: string, max: number): string => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.ceil(max / 2) - 1).join("")}…${chars.slice(-Math.floor(max / 2)).join("")}`;
};
/** How long a name, a folder and a result line may be: tried in turn until the caption fits 1024. */
const SIZES = [{ name: 120, folder: 80, extra: 400 }, { name: 70, folder: 50, extra: 200 }, { name: 40, folder: 30, extra: 120 }] as const;
type Sizes = (typeof SIZES)[number];
const describe = (v: DupeVideo, size: Sizes): string =>
  `<b>${escapeHtml(short(v.fileName, size.name))}</b>\n📁 ${escapeHtml(short(folder(v), size.folder))} · ${escapeHtml(fileFacts(v))} · ${escapeHtml([v.videoCodec, v.audioCodec].filter(Boolean).join("/"))}`;

function kindLine(view: PairView): string {
  if (!view.safety.deletable) return view.pair.kind === "ts-mp4" ? ".ts/.mp4 pair · not offered for deletion" : "the same file under two names · not a copy to delete";
  return view.pair.kind === "ts-mp4"
    ? `.ts/.mp4 pair${view.pair.verified ? " · verified: the MP4 plays in Telegram" : " · not verified: the MP4 is not a playable H.264 MP4"}`
    : "exact copy · verified: the whole content is identical";
}

/** The facts of a pair (and a result line, plain text), within a photo caption's 1024 characters: long names are shortened further until it fits. */
function caption(view: PairView, extra: string | null): string {
  const note = view.safety.note === null ? [] : [`${view.safety.deletable ? "⚠️" : "🔗"} ${escapeHtml(view.safety.note)}.`];
  const build = (size: Sizes): string => [`🧹 ${kindLine(view)}`, `A (to clean up): ${describe(view.remove, size)}`, `B (stays): ${describe(view.keep, size)}`,
    ...note, ...(extra === null ? [] : ["", escapeHtml(short(extra, size.extra))])].join("\n");
  const fitting = SIZES.map(build).find((text) => telegramLength(text) <= CAPTION_LIMIT);
  return fitting ?? trimToLimit(build(SIZES[SIZES.length - 1] as Sizes), CAPTION_LIMIT);
}

function pairKeyboard(view: PairView): InlineKeyboard {
  const id = view.pair.id;
  const keyboard = new InlineKeyboard();
  // A link, or one file under two names, is never offered for deletion: it could remove the only real copy, or free nothing.
  if (view.safety.deletable) keyboard.text("🗑 Delete A", encodeCallback(DUPES, "x", id)).text("📦 Archive A", encodeCallback(DUPES, "a", id)).row();
  if (view.safety.deletable && view.pair.kind === "ts-mp4" && !view.pair.verified) keyboard.text("🔄 Convert A to a new MP4", encodeCallback(DUPES, "c", id)).row();
  return keyboard.text("✋ Keep both", encodeCallback(DUPES, "k", id)).text("Next ›", encodeCallback(DUPES, "n", id));
}

/** Sends one pair as a picture (a frame of each, side by side) with the facts and buttons. */
async function sendPair(ctx: BotContext, view: PairView): Promise<void> {
  const { dupes } = ctx.deps.services;
  const picture = await dupes.picture(view);
  if (picture === null) {
    await send(ctx, { text: caption(view, "(No picture: ffmpeg could not read a frame from one of the files.)"), keyboard: pairKeyboard(view) });
    return;
  }
  try {
    await ctx.replyWithPhoto(new InputFile(picture), { caption: caption(view, null), parse_mode: "HTML", reply_markup: pairKeyboard(view) });
  } finally {
    await dupes.discardPicture(picture);
  }
}

async function showNextOrDone(ctx: BotContext, pairId: number): Promise<void> {
  const next = await ctx.deps.services.dupes.next(pairId);
  if (next === null) await ctx.reply("That was the last pair. /dupes looks again; /trash restores what was deleted.");
  else await sendPair(ctx, next);
}

/** Rewrites the pressed pair message (a photo's caption, or the text) with the result, leaving only an Undo button. */
async function markPair(ctx: BotContext, view: PairView, result: string, moveId: number | null): Promise<void> {
  const keyboard = moveId === null ? new InlineKeyboard() : new InlineKeyboard().text("↩ Undo", encodeCallback(DUPES, "u", moveId));
  const text = caption(view, result);
  if (ctx.callbackQuery?.message?.photo !== undefined) await ctx.editMessageCaption({ caption: text, parse_mode: "HTML", reply_markup: keyboard });
  else await showInPlace(ctx, { text, keyboard });
}

function resultText(outcome: ActOutcome, days: number): string {
  switch (outcome.kind) {
    case "done":
      return { delete: `✅ A was moved to the trash (kept ${days} days; ↩ Undo or /trash restores it).`, archive: `✅ A was moved to the archive: ${outcome.to ?? ""}`,
        keep: "✅ Both kept; this pair will not be proposed again.", convert: "✅ A new MP4 of A is queued (/convert shows progress)." }[outcome.action];
    case "changed": return `⚠️ Nothing was done: ${outcome.fileName} changed since this was shown. Run /dupes again.`;
    case "resolved": return `This pair was already handled (${outcome.resolution}).`;
    case "expired": return EXPIRED;
    case "failed": return `❌ Nothing was done: ${outcome.reason}`;
  }
}

dupesFeature.command("dupes", async (ctx) => {
  const { dupes } = ctx.deps.services;
  const status = await ctx.reply("🔍 Looking for duplicates (exact copies are confirmed by reading them in full)…");
  const { pairs } = await dupes.find();
  const edit = (text: string, keyboard?: InlineKeyboard) =>
    ctx.api.editMessageText(status.chat.id, status.message_id, text, { parse_mode: "HTML", ...(keyboard ? { reply_markup: keyboard } : {}) });
  const first = pairs[0];
  if (first === undefined) {
    await edit("✨ No duplicates: no .ts/.mp4 pairs and no exact copies (pairs you chose to keep are not shown).");
    return;
  }
  const tsMp4 = pairs.filter((p) => p.pair.kind === "ts-mp4").length;
  const sameFile = pairs.filter((p) => p.pair.kind === "exact" && !p.safety.deletable).length;
  const verified = pairs.filter((p) => p.pair.verified).length;
  const keyboard = new InlineKeyboard().text("👀 Review one by one", encodeCallback(DUPES, "r", first.pair.id)).row();
  if (verified > 0) {
    const which = verified === 1 ? "the 1 verified pair" : `all ${formatCount(verified)} verified`;
    keyboard.text(`🗑 Delete A of ${which}…`, encodeCallback(DUPES, "A", first.pair.id, 1)).row()
      .text(`📦 Archive A of ${which}…`, encodeCallback(DUPES, "A", first.pair.id, 2));
  }
  const exact = pairs.length - tsMp4 - sameFile;
  await edit([`🧹 <b>${counted(pairs.length, "duplicate pair", "duplicate pairs")}</b>: ${formatCount(tsMp4)} .ts/.mp4, ${counted(exact, "exact copy", "exact copies")}` +
    `${sameFile > 0 ? `, ${counted(sameFile, "file", "files")} under two names (links, nothing to delete)` : ""}; ${formatCount(verified)} verified.`,
    "In each pair A is the file to clean up (the .ts recording, or the later copy) and B the one that stays; A's tags and category pass to B."].join("\n"), keyboard);
});

dupesFeature.callbackQuery(/^d:/, async (ctx) => {
  const button = pressed(ctx, DUPES);
  const [id = 0, mode = 0] = button?.ids ?? [];
  const { dupes, settings } = ctx.deps.services;
  const actor = actorOf(ctx);
  const verb = button?.data.verb;
  const view = await dupes.view(id);
  if (button === null || view === null) {
    await ctx.answerCallbackQuery({ text: EXPIRED });
    return;
  }
  const actions: Record<string, PairAction> = { x: "delete", a: "archive", k: "keep", c: "convert" };
  const action = actions[verb ?? ""];
  if (action !== undefined) {
    const outcome = await dupes.act(id, action, actor);
    await ctx.answerCallbackQuery({ text: outcome.kind === "done" ? "Done" : "Nothing was done" });
    await markPair(ctx, view, resultText(outcome, settings.current.trashDays), outcome.kind === "done" ? outcome.moveId : null);
    if (outcome.kind === "done") await showNextOrDone(ctx, id);
    return;
  }
  const all = mode === 1 ? "delete" : "archive";
  switch (verb) {
    case "r":
      await ctx.answerCallbackQuery();
      await sendPair(ctx, view);
      return;
    case "n":
      await ctx.answerCallbackQuery();
      await showNextOrDone(ctx, id);
      return;
    case "A": {
      const n = formatCount((await dupes.verifiedIn(view.pair.listedAt)).length);
      await ctx.answerCallbackQuery();
      const where = all === "delete" ? `to the trash (kept ${settings.current.trashDays} days; /trash restores)` : "to the archive folder";
      await ctx.reply(`Move file A of ${n === "1" ? "the 1 verified pair" : `all ${n} verified pairs`} ${where}? Pairs whose files changed since they were shown are skipped.`,
        { reply_markup: new InlineKeyboard().text(`✅ ${all === "delete" ? "Delete" : "Archive"} ${n}`, encodeCallback(DUPES, "Y", id, mode)).text("Cancel", encodeCallback(DUPES, "N", id)) });
      return;
    }
    case "Y": {
      await ctx.answerCallbackQuery({ text: "Working…" });
      const { done, skipped } = await dupes.applyAll(view.pair.listedAt, all, actor);
      await showInPlace(ctx, { text: `✅ ${formatCount(done)} moved ${all === "delete" ? "to the trash" : "to the archive"}${skipped > 0 ? `; ${formatCount(skipped)} skipped (changed since shown, already handled, or no longer safe to move)` : ""}. ${done === 1 ? "/trash restores it." : "/trash restores them."}`, keyboard: new InlineKeyboard() });
      return;
    }
    case "N":
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, { text: "Cancelled. Nothing was changed.", keyboard: new InlineKeyboard() });
      return;
    default:
      await ctx.answerCallbackQuery({ text: EXPIRED });
  }
});
