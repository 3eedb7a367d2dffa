import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import { fileFacts, type ActOutcome, type PairView } from "../../../services/dupes/dupe-service.js";
import type { DupeVideo } from "../../../services/dupes/pairs.js";
import { countOf, formatCount } from "../../../services/shared/units.js";
import { CAPTION_LIMIT, telegramLength, trimToLimit } from "../../../infra/telegram/limits.js";
import { EXPIRED } from "../../views/respond.js";
import { shortenMiddle } from "../../views/view.js";
import { TRASH_BUTTONS } from "../trash/buttons.js";
import { DUPE_BUTTONS } from "./buttons.js";

const folder = (v: DupeVideo): string => {
  const cut = v.relativePath.lastIndexOf("/");
  return cut < 0 ? "(library root)" : v.relativePath.slice(0, cut);
};
/** How long a name, a folder and a result line may be: tried in turn until the caption fits 1024. */
const SIZES = [{ name: 120, folder: 80, extra: 400 }, { name: 70, folder: 50, extra: 200 }, { name: 40, folder: 30, extra: 120 }] as const;
type Sizes = (typeof SIZES)[number];
const describe = (v: DupeVideo, size: Sizes): string =>
  `<b>${escapeHtml(shortenMiddle(v.fileName, size.name))}</b>\n📁 ${escapeHtml(shortenMiddle(folder(v), size.folder))} · ${escapeHtml(fileFacts(v))} · ${escapeHtml([v.videoCodec, v.audioCodec].filter(Boolean).join("/"))}`;

function kindLine(view: PairView): string {
  if (!view.safety.deletable) return view.pair.kind === "ts-mp4" ? ".ts/.mp4 pair · not offered for deletion" : "the same file under two names · not a copy to delete";
  return view.pair.kind === "ts-mp4"
    ? `.ts/.mp4 pair${view.pair.verified ? " · verified: the MP4 plays in Telegram" : " · not verified: the MP4 is not a playable H.264 MP4"}`
    : "exact copy · verified: the whole content is identical";
}

/** The facts of a pair (and a result line, plain text), within a photo caption's 1024 characters: long names are shortened further until it fits. */
export function caption(view: PairView, extra: string | null): string {
  const note = view.safety.note === null ? [] : [`${view.safety.deletable ? "⚠️" : "🔗"} ${escapeHtml(view.safety.note)}.`];
  const build = (size: Sizes): string => [`🧹 ${kindLine(view)}`, `A (to clean up): ${describe(view.remove, size)}`, `B (stays): ${describe(view.keep, size)}`,
    ...note, ...(extra === null ? [] : ["", escapeHtml(shortenMiddle(extra, size.extra))])].join("\n");
  const fitting = SIZES.map(build).find((text) => telegramLength(text) <= CAPTION_LIMIT);
  return fitting ?? trimToLimit(build(SIZES[SIZES.length - 1] as Sizes), CAPTION_LIMIT);
}

export function pairKeyboard(view: PairView): InlineKeyboard {
  const pairId = view.pair.id;
  const keyboard = new InlineKeyboard();
  // A link, or one file under two names, is never offered for deletion: it could remove the only real copy, or free nothing.
  if (view.safety.deletable) keyboard.text("🗑 Delete A", DUPE_BUTTONS.remove.pack({ pairId })).text("📦 Archive A", DUPE_BUTTONS.archive.pack({ pairId })).row();
  if (view.safety.deletable && view.pair.kind === "ts-mp4" && !view.pair.verified) keyboard.text("🔄 Convert A to a new MP4", DUPE_BUTTONS.convert.pack({ pairId })).row();
  return keyboard.text("✋ Keep both", DUPE_BUTTONS.keep.pack({ pairId })).text("Next ›", DUPE_BUTTONS.next.pack({ pairId }));
}

/** What is left on a handled pair: an Undo (which the trash answers) when something moved. */
export const undoKeyboard = (moveId: number | null): InlineKeyboard =>
  moveId === null ? new InlineKeyboard() : new InlineKeyboard().text("↩ Undo", TRASH_BUTTONS.undo.pack({ moveId }));

export function resultText(outcome: ActOutcome, days: number): string {
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

/** The summary /dupes edits its "looking" message into: counts, and the buttons to review or act on all verified pairs. */
export function summaryView(pairs: readonly PairView[]): { text: string; keyboard?: InlineKeyboard } {
  const first = pairs[0];
  if (first === undefined) return { text: "✨ No duplicates: no .ts/.mp4 pairs and no exact copies (pairs you chose to keep are not shown)." };
  const pairId = first.pair.id;
  const tsMp4 = pairs.filter((p) => p.pair.kind === "ts-mp4").length;
  const sameFile = pairs.filter((p) => p.pair.kind === "exact" && !p.safety.deletable).length;
  const verified = pairs.filter((p) => p.pair.verified).length;
  const keyboard = new InlineKeyboard().text("👀 Review one by one", DUPE_BUTTONS.review.pack({ pairId })).row();
  if (verified > 0) {
    const which = verified === 1 ? "the 1 verified pair" : `all ${formatCount(verified)} verified`;
    keyboard.text(`🗑 Delete A of ${which}…`, DUPE_BUTTONS.all.pack({ pairId, mode: 1 })).row()
      .text(`📦 Archive A of ${which}…`, DUPE_BUTTONS.all.pack({ pairId, mode: 2 }));
  }
  const exact = pairs.length - tsMp4 - sameFile;
  const text = [`🧹 <b>${countOf(pairs.length, "duplicate pair", "duplicate pairs")}</b>: ${formatCount(tsMp4)} .ts/.mp4, ${countOf(exact, "exact copy", "exact copies")}` +
    `${sameFile > 0 ? `, ${countOf(sameFile, "file", "files")} under two names (links, nothing to delete)` : ""}; ${formatCount(verified)} verified.`,
  "In each pair A is the file to clean up (the .ts recording, or the later copy) and B the one that stays; A's tags and category pass to B."].join("\n");
  return { text, keyboard };
}
