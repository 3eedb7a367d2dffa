import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../../format.js";
import type { CatalogService, TagEdit } from "../../../services/catalog/catalog-service.js";
import type { TagInfo, VideoDetails } from "../../../services/catalog/catalog-store.js";
import { countOf } from "../../../services/shared/units.js";
import { listWithin } from "../../../infra/telegram/limits.js";
import { describeTagProblem } from "../../views/tag-problems.js";
import { tagsPanel } from "../../views/video-card.js";
import { label, type View } from "../../views/view.js";
import { CARD_BUTTONS } from "./buttons.js";

/** How many tags and file-name words the tags panel offers, and how many completions a typed prefix gets. */
export const SUGGESTIONS = 6;

// Telegram allows 100 buttons on a message.
const MAX_BUTTONS = 100;

// What a reply says about a typed tag list stays short, however many tags were typed: the card follows it.
const EDIT_LIST_BUDGET = 700;

/** A video's tags panel with its suggestions; `reserve` characters are left for text shown before it. */
export async function panelFor(catalog: CatalogService, video: VideoDetails, reserve = 0): Promise<View> {
  return tagsPanel(video, await catalog.suggestionsFor(video, SUGGESTIONS), reserve);
}

/** "Added: a, b." or, when cut, "Added (150 tags): a, b, … and 148 more.", each list within its budget. */
function namedList(what: string, names: readonly string[]): string {
  const list = listWithin(names.map(escapeHtml), EDIT_LIST_BUDGET, { separator: ", ", more: (n) => `… and ${n} more` });
  return list.includes("… and ") ? `${what} (${countOf(names.length, "tag", "tags")}): ${list}.` : `${what}: ${list}.`;
}

/** What a typed tag list did: the lines of the reply (HTML). */
export function describeEdit(edit: TagEdit): string[] {
  const problems = edit.problems.map(describeTagProblem);
  return [
    ...(edit.added.length > 0 ? [namedList("Added", edit.added.map((t) => t.name))] : []),
    ...(edit.already.length > 0 ? [namedList("Already tagged", edit.already.map((t) => t.name))] : []),
    ...(problems.length === 0 ? [] : [listWithin(problems, EDIT_LIST_BUDGET, { more: (n) => `… and ${countOf(n, "more problem", "more problems")}` })]),
  ];
}

/** The reply to typed names that start existing tags: a button per completion, and one to add each name as typed. */
export function guessesView(videoId: number, lines: readonly string[], guesses: readonly { name: string; matches: readonly TagInfo[] }[]): View {
  const keyboard = new InlineKeyboard();
  // Guesses past Telegram's button limit get no button and can be typed again.
  let buttons = 0;
  guesses.forEach((g, index) => {
    if (buttons + g.matches.length + 1 > MAX_BUTTONS) return;
    buttons += g.matches.length + 1;
    for (const m of g.matches) keyboard.text(label(`+ ${m.name}`), CARD_BUTTONS.addTag.pack({ videoId, tagId: m.id })).row();
    keyboard.text(label(`+ “${g.name}” as a new tag`), CARD_BUTTONS.addTyped.pack({ videoId, index })).row();
  });
  const asked = listWithin(guesses.map((g) => `“${escapeHtml(g.name)}”`), EDIT_LIST_BUDGET, { separator: ", " });
  return { text: [...lines, `Existing tags start with ${asked}. Tap one to add it, or add what you typed as a new tag.`].join("\n"), keyboard };
}
