import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { actorOf, EXPIRED, pressed, send, showInPlace } from "../views/respond.js";
import { label, type View } from "../views/view.js";
import type { TrashEntry, TrashSource } from "../../services/trash.js";
import { timeAgo, timeUntil } from "../../services/time-ago.js";
import { formatCount } from "../../services/units.js";
import { DUPES } from "./dupes.js";

// Trash buttons live under the clean-up feature's prefix ("d"), so they need the same permission (delete).
// Verbs: R restore (source, id), P page, u the ↩ Undo button on a cleaned-up pair (a duplicate's move id).
export const trashFeature = new Composer<BotContext>();

const PAGE = 10;
const SOURCES: readonly TrashSource[] = ["dupes", "sync"];
const WHY: Record<TrashSource, string> = { dupes: "duplicate clean-up", sync: "left its sync source" };
// Long names are shortened from the middle, so the folder and the ending both show.
const shorten = (path: string, max = 160): string => {
  const chars = [...path];
  return chars.length <= max ? path : `${chars.slice(0, max / 2 - 1).join("")}…${chars.slice(-(max / 2)).join("")}`;
};
const fileName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

function entryLine(e: TrashEntry, n: number, now: number): string {
  const stays = e.where === "archive" ? "in the archive" : `in the trash, removed for good ${e.expiresAt === null ? "later" : timeUntil(e.expiresAt, now)}`;
  return `${n}. ${escapeHtml(shorten(e.path))}\n    ${WHY[e.source]} · moved ${timeAgo(e.movedAt, now)} · ${stays}`;
}

async function trashView(ctx: BotContext, page: number): Promise<View> {
  const entries = await ctx.deps.services.trash.entries(actorOf(ctx));
  if (entries.length === 0) return { text: "🗑 The trash and the archive have nothing to restore.", keyboard: new InlineKeyboard() };
  const pages = Math.ceil(entries.length / PAGE);
  const at = Math.min(Math.max(0, page), pages - 1);
  const shown = entries.slice(at * PAGE, at * PAGE + PAGE);
  const now = Date.now();
  const keyboard = new InlineKeyboard();
  shown.forEach((e, i) => keyboard.text(label(`↩ Restore ${at * PAGE + i + 1}. ${fileName(e.path)}`, 40), encodeCallback(DUPES, "R", SOURCES.indexOf(e.source), e.id)).row());
  if (at > 0) keyboard.text("‹ Newer", encodeCallback(DUPES, "P", at - 1));
  if (at < pages - 1) keyboard.text("Older ›", encodeCallback(DUPES, "P", at + 1));
  const count = `${formatCount(entries.length)} ${entries.length === 1 ? "file" : "files"}`;
  const header = `🗑 <b>Recently moved</b> by vidlib (${count}${pages > 1 ? `, page ${at + 1} of ${pages}` : ""}). Restoring puts a file back where it was.`;
  return { text: [header, "", ...shown.map((e, i) => entryLine(e, at * PAGE + i + 1, now))].join("\n"), keyboard };
}

trashFeature.command("trash", async (ctx) => {
  await send(ctx, await trashView(ctx, 0));
});

trashFeature.callbackQuery(/^d:[RPu]:/, async (ctx) => {
  const button = pressed(ctx, DUPES);
  const { trash } = ctx.deps.services;
  const actor = actorOf(ctx);
  const [first, second] = button?.ids ?? [];
  if (button?.data.verb === "P") {
    await ctx.answerCallbackQuery();
    return showInPlace(ctx, await trashView(ctx, first ?? 0));
  }
  const source = button?.data.verb === "u" ? "dupes" : SOURCES[first ?? -1];
  const id = button?.data.verb === "u" ? first : second;
  if (source === undefined || id === undefined) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
  const result = await trash.restore(actor, source, id);
  await ctx.answerCallbackQuery({ text: result.ok ? "Restored" : `Not restored: ${result.reason}`, show_alert: !result.ok });
  if (!result.ok) return;
  const again = source === "sync" ? " If it is still missing from the sync source, the next sync offers to remove it again." : "";
  await ctx.reply(`↩ Restored to ${escapeHtml(result.path)}.${again}`, { parse_mode: "HTML" });
  if (button?.data.verb === "R") await showInPlace(ctx, await trashView(ctx, 0));
});
