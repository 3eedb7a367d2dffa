import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml, html } from "../format.js";
import { who, actorOf } from "../views/respond.js";

export const abbreviationsFeature = new Composer<BotContext>();

/** Telegram's message limit, less room for the explanation. */
const LIST_BUDGET = 3500;

abbreviationsFeature.command("abbreviations", async (ctx) => {
  const entries = Object.entries(ctx.deps.services.abbreviations.get()).sort(([a], [b]) => a.localeCompare(b));
  let list = "";
  let shown = 0;
  for (const [short, long] of entries) {
    const line = `${escapeHtml(short)} → ${escapeHtml(long)}\n`;
    if (list.length + line.length > LIST_BUDGET) break;
    list += line;
    shown++;
  }
  const more = shown < entries.length ? `… and ${entries.length - shown} more\n` : "";
  await ctx.deps.services.chat.setPrompt(who(ctx).chatId, { kind: "abbreviation" });
  await ctx.reply(`<b>Search abbreviations (${entries.length})</b>\nA word on the left is searched as the words on the right, in file names and in queries.\n\n${list}${more}\n` +
    "Send <i>short = long</i> to add or change one (for example <i>thermo = thermodynamics</i>), or <i>-short</i> to remove one. /cancel when done.", { parse_mode: "HTML" });
});

/** One line typed after /abbreviations. */
export async function onTypedAbbreviation(ctx: BotContext, text: string): Promise<void> {
  const result = await ctx.deps.services.abbreviations.edit(text, actorOf(ctx));
  switch (result.kind) {
    case "set":
      await ctx.reply(html`Saved: ${result.short} → ${result.long}` + (result.before === null ? "" : html` (was ${result.before})`) + ". Search now uses it. Send another, or /cancel.", { parse_mode: "HTML" });
      return;
    case "removed":
      await ctx.reply(html`Removed: ${result.short} (was ${result.before}). Send another, or /cancel.`, { parse_mode: "HTML" });
      return;
    case "unknown":
      await ctx.reply(html`There is no abbreviation ${result.short}. Send another, or /cancel.`, { parse_mode: "HTML" });
      return;
    case "invalid":
      await ctx.reply(`${result.reason} Send another, or /cancel.`);
  }
}
