import { Composer } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import { escapeHtml, html } from "../../format.js";
import type { AbbreviationService } from "../../../services/search/abbreviation-service.js";
import { actorOf } from "../../views/respond.js";

/** Telegram's message limit, less room for the explanation. */
const LIST_BUDGET = 3500;

/** Every abbreviation, as many as fit, with how to change them. */
function abbreviationsText(abbreviations: AbbreviationService): string {
  const entries = Object.entries(abbreviations.get()).sort(([a], [b]) => a.localeCompare(b));
  let list = "";
  let shown = 0;
  for (const [short, long] of entries) {
    const line = `${escapeHtml(short)} → ${escapeHtml(long)}\n`;
    if (list.length + line.length > LIST_BUDGET) break;
    list += line;
    shown++;
  }
  const more = shown < entries.length ? `… and ${entries.length - shown} more\n` : "";
  return `<b>Search abbreviations (${entries.length})</b>\nA word on the left is searched as the words on the right, in file names and in queries.\n\n${list}${more}\n` +
    "Send <i>short = long</i> to add or change one (for example <i>thermo = thermodynamics</i>), or <i>-short</i> to remove one. /cancel when done.";
}

/** One line typed after /abbreviations; the question stays open for the next until /cancel. */
function abbreviationPrompt(abbreviations: AbbreviationService) {
  return definePrompt("abbreviation", z.object({}), async (ctx, _state, text) => {
    const result = await abbreviations.edit(text, actorOf(ctx));
    switch (result.kind) {
      case "set":
        await ctx.reply(html`Saved: ${result.short} → ${result.long}` + (result.before === null ? "" : html` (was ${result.before})`) + ". Search now uses it. Send another, or /cancel.");
        return;
      case "removed":
        await ctx.reply(html`Removed: ${result.short} (was ${result.before}). Send another, or /cancel.`);
        return;
      case "unknown":
        await ctx.reply(html`There is no abbreviation ${result.short}. Send another, or /cancel.`);
        return;
      case "invalid":
        await ctx.reply(`${escapeHtml(result.reason)} Send another, or /cancel.`);
    }
  });
}

/** /abbreviations: the search abbreviations, edited by typing lines. */
export const abbreviationsFeature = defineFeature({
  name: "abbreviations",
  uses: ["abbreviations"],
  commands: { abbreviations: "settings" },
  buttons: [],
  prompts: ["abbreviation"],
  create({ abbreviations }) {
    const composer = new Composer<BotContext>();
    const edit = abbreviationPrompt(abbreviations);
    composer.command("abbreviations", async (ctx) => {
      const text = abbreviationsText(abbreviations);
      await edit.ask(ctx, {});
      await ctx.reply(text);
    });
    composer.use(edit.middleware);
    return composer;
  },
});
