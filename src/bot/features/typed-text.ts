import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { onTypedChannel } from "./channels.js";
import { onTypedPerson } from "./users.js";
import { onTypedRejectReason } from "./review.js";
import { onTypedSyncFolder } from "./sync.js";

// The questions still answered here, until their features own them.
type LegacyPrompt =
  | { readonly kind: "add-channel" }
  | { readonly kind: "channel-audience"; readonly ref: number; readonly audiences: readonly string[] }
  | { readonly kind: "add-user" }
  | { readonly kind: "reject-reason"; readonly jobId: number }
  | { readonly kind: "sync-folder" };

export const LEGACY_PROMPT_KINDS: readonly string[] = ["add-channel", "channel-audience", "add-user", "reject-reason", "sync-folder"];

/** Plain text in the private chat: the answer to a pending prompt whose feature does not own it yet. */
export const typedTextFeature = new Composer<BotContext>();

typedTextFeature.chatType("private").on("message:text", async (ctx, next) => {
  const text = ctx.message.text;
  // A command, but not a path such as /mnt/share/Lectures typed in answer to a prompt.
  if (/^\/[A-Za-z0-9_]+(?:@\w+)?(?:\s|$)/u.test(text)) return next();
  const prompt = (await ctx.prompt.pending()) as LegacyPrompt | null;
  switch (prompt?.kind) {
    case "add-channel":
    case "channel-audience": return onTypedChannel(ctx, text);
    case "add-user": return onTypedPerson(ctx, text);
    case "reject-reason": return onTypedRejectReason(ctx, prompt.jobId, text);
    case "sync-folder": return onTypedSyncFolder(ctx, text);
    default: return next();
  }
});
