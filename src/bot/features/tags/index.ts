import { Composer } from "grammy";
import { z } from "zod";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { definePrompt } from "../../prompts/define-prompt.js";
import { html } from "../../format.js";
import { formatCount } from "../../../services/shared/units.js";
import type { CatalogService } from "../../../services/catalog/catalog-service.js";
import { actorOf, send, showInPlace } from "../../views/respond.js";
import { describeTagProblem } from "../../views/tag-problems.js";
import { TAG_BUTTONS } from "./buttons.js";
import { libraryView, PAGE_SIZE, tagView } from "./views.js";

/** A new name typed for a tag: renames it everywhere, or merges it into the tag that already has that name. */
function renameTagPrompt(catalog: CatalogService) {
  return definePrompt("rename-tag", z.object({ tagId: z.number().int() }), async (ctx, { tagId }, text) => {
    const outcome = await catalog.renameTag(tagId, text, actorOf(ctx));
    switch (outcome.kind) {
      case "renamed":
        await ctx.prompt.clear();
        await ctx.reply(html`Renamed to ${outcome.tag.name} on every video.`);
        return;
      case "merged":
        await ctx.prompt.clear();
        await ctx.reply(html`Merged into ${outcome.into.name}: ${formatCount(outcome.videos)} videos now carry it.`);
        return;
      case "unchanged":
        await ctx.reply("That is already its name. Send a different one, or /cancel.");
        return;
      case "missing":
        await ctx.prompt.clear();
        await ctx.reply("That tag no longer exists (someone merged or renamed it). /tags lists the tags.");
        return;
      case "invalid":
        await ctx.reply(`${describeTagProblem(outcome.problem)} Send another name, or /cancel.`);
    }
  });
}

/** /tags: every tag, most used first; rename or merge one. */
export const tagsFeature = defineFeature({
  name: "tags",
  uses: ["catalog"],
  commands: { tags: "tag" },
  buttons: Object.values(TAG_BUTTONS),
  prompts: ["rename-tag"],
  create({ catalog }) {
    const composer = new Composer<BotContext>();
    const rename = renameTagPrompt(catalog);
    const page = async (n: number) => {
      const { tags, total } = await catalog.listTags(n * PAGE_SIZE, PAGE_SIZE);
      return libraryView(tags, total, n);
    };

    composer.command("tags", async (ctx) => {
      await send(ctx, await page(0));
    });
    onButton(composer, TAG_BUTTONS.page, async (ctx, values) => {
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await page(values.page));
    });
    onButton(composer, TAG_BUTTONS.open, async (ctx, { tagId, page: from = 0 }) => {
      const tag = await catalog.tag(tagId);
      await ctx.answerCallbackQuery(tag === null ? { text: "That tag no longer exists." } : {});
      if (tag !== null) await showInPlace(ctx, tagView(tag, from));
    });
    onButton(composer, TAG_BUTTONS.rename, async (ctx, { tagId }) => {
      const tag = await catalog.tag(tagId);
      await ctx.answerCallbackQuery(tag === null ? { text: "That tag no longer exists." } : {});
      if (tag === null) return;
      await rename.ask(ctx, { tagId: tag.id });
      await ctx.reply(html`Send the new name for ${tag.name} (or the name of a tag to merge it into), or /cancel.`);
    });
    composer.use(rename.middleware);
    return composer;
  },
});
