import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { who } from "../views/respond.js";
import { onTypedAbbreviation } from "./abbreviations.js";
import { onTypedBulkTags } from "./bulk.js";
import { onTypedCategoryName } from "./categories.js";
import { runSearch } from "./search.js";
import { onTypedTagName } from "./tag-library.js";
import { onTypedTags } from "./video-card.js";
import { onTypedChannel } from "./channels.js";
import { onTypedCaptionTemplate } from "./settings.js";
import { onTypedPerson } from "./users.js";
import { onTypedRejectReason } from "./review.js";
import { onTypedSyncFolder } from "./sync.js";

/** Plain text in the private chat: the answer to a pending prompt, or else a search. */
export const typedTextFeature = new Composer<BotContext>();

typedTextFeature.chatType("private").on("message:text", async (ctx, next) => {
  const text = ctx.message.text;
  // A command, but not a path such as /mnt/share/Lectures typed in answer to a prompt.
  if (/^\/[A-Za-z0-9_]+(?:@\w+)?(?:\s|$)/u.test(text)) return next();
  const prompt = await ctx.deps.services.chat.prompt(who(ctx).chatId);
  switch (prompt?.kind) {
    case "tags": return onTypedTags(ctx, prompt.videoId, text);
    case "bulk-tag":
    case "bulk-tag-confirm": return onTypedBulkTags(ctx, prompt.searchId, text);
    case "rename-tag": return onTypedTagName(ctx, prompt.tagId, text);
    case "rename-category": return onTypedCategoryName(ctx, prompt.categoryId, text);
    case "abbreviation": return onTypedAbbreviation(ctx, text);
    case "add-channel":
    case "channel-audience": return onTypedChannel(ctx, text);
    case "caption-template": return onTypedCaptionTemplate(ctx, text);
    case "add-user": return onTypedPerson(ctx, text);
    case "reject-reason": return onTypedRejectReason(ctx, prompt.jobId, text);
    case "sync-folder": return onTypedSyncFolder(ctx, text);
    case undefined: return runSearch(ctx, text);
  }
});
