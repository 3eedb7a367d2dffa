import { z } from "zod";
import { definePrompt } from "../../prompts/define-prompt.js";
import type { CatalogService } from "../../../services/catalog/catalog-service.js";
import { splitTagList } from "../../../services/catalog/tag-names.js";
import { telegramLength } from "../../../infra/telegram/limits.js";
import { GONE } from "../../views/open-card.js";
import { actorOf, send } from "../../views/respond.js";
import { describeEdit, guessesView, panelFor, SUGGESTIONS } from "./tag-replies.js";

export const TAGS_KIND = "tags";

/** The tags question: the video whose tags panel is open, and the typed names offered as new tags (by position). */
export const TAGS_STATE = z.object({ videoId: z.number().int(), pending: z.array(z.string()).optional() });

/** Tags typed while a video's tags panel is open: known and new tags are added; prefixes of existing tags get suggestions. */
export function tagsPrompt(catalog: CatalogService) {
  return definePrompt(TAGS_KIND, TAGS_STATE, async (ctx, { videoId }, text) => {
    const typed = splitTagList(text);
    const guesses = await catalog.unknownWithCompletions(typed, SUGGESTIONS);
    const guessed = new Set(guesses.map((g) => g.name.toLocaleLowerCase("en")));
    const direct = typed.filter((t) => !guessed.has(t.trim().replace(/^#+/u, "").toLocaleLowerCase("en")));
    const edit = direct.length === 0 ? { added: [], already: [], problems: [] } : await catalog.addTags(videoId, direct, actorOf(ctx));
    const video = await catalog.video(videoId);
    if (edit === null || video === null) {
      await ctx.prompt.clear();
      await ctx.reply(GONE);
      return;
    }
    // Asked again, so that further tags can be typed and the guesses' buttons find their names.
    await ctx.prompt.ask({ kind: TAGS_KIND, videoId, pending: guesses.map((g) => g.name) });
    const lines = describeEdit(edit);
    if (guesses.length > 0) {
      const view = guessesView(videoId, lines, guesses);
      await ctx.reply(view.text, { reply_markup: view.keyboard });
    } else {
      const summary = [...lines, ""].join("\n");
      const panel = await panelFor(catalog, video, telegramLength(summary) + 1);
      await send(ctx, { text: `${summary}\n${panel.text}`, keyboard: panel.keyboard });
    }
  });
}
