import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { onTypedAbbreviation } from "./abbreviations.js";
import { onTypedBulkTags } from "./bulk.js";
import { onTypedCategoryName } from "./categories.js";
import { runSearch } from "./search.js";
import { onTypedTags } from "./video-card.js";
import { onTypedChannel } from "./channels.js";
import { onTypedCaptionTemplate } from "./settings.js";
import { onTypedRejectReason } from "./review.js";

// The questions still answered here, until their features own them.
type LegacyPrompt =
  | { readonly kind: "tags"; readonly videoId: number; readonly pending?: readonly string[] }
  | { readonly kind: "bulk-tag"; readonly searchId: number }
  | { readonly kind: "bulk-tag-confirm"; readonly searchId: number; readonly tags: readonly string[] }
  | { readonly kind: "rename-category"; readonly categoryId: number }
  | { readonly kind: "abbreviation" }
  | { readonly kind: "add-channel" }
  | { readonly kind: "channel-audience"; readonly ref: number; readonly audiences: readonly string[] }
  | { readonly kind: "caption-template" }
  | { readonly kind: "reject-reason"; readonly jobId: number };

export const LEGACY_PROMPT_KINDS: readonly string[] = ["tags", "bulk-tag", "bulk-tag-confirm", "rename-category", "abbreviation", "add-channel",
  "channel-audience", "caption-template", "reject-reason"];

/** Plain text in the private chat: the answer to a pending prompt, or else a search. */
export const typedTextFeature = new Composer<BotContext>();

typedTextFeature.chatType("private").on("message:text", async (ctx, next) => {
  const text = ctx.message.text;
  // A command, but not a path such as /mnt/share/Lectures typed in answer to a prompt.
  if (/^\/[A-Za-z0-9_]+(?:@\w+)?(?:\s|$)/u.test(text)) return next();
  const prompt = (await ctx.prompt.pending()) as LegacyPrompt | null;
  switch (prompt?.kind) {
    case "tags": return onTypedTags(ctx, prompt.videoId, text);
    case "bulk-tag":
    case "bulk-tag-confirm": return onTypedBulkTags(ctx, prompt.searchId, text);
    case "rename-category": return onTypedCategoryName(ctx, prompt.categoryId, text);
    case "abbreviation": return onTypedAbbreviation(ctx, text);
    case "add-channel":
    case "channel-audience": return onTypedChannel(ctx, text);
    case "caption-template": return onTypedCaptionTemplate(ctx, text);
    case "reject-reason": return onTypedRejectReason(ctx, prompt.jobId, text);
    default: return runSearch(ctx, text);
  }
});
