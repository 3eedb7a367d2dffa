import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { onTypedPerson } from "./users.js";
import { onTypedSyncFolder } from "./sync.js";

// The questions still answered here, until their features own them.
type LegacyPrompt =
  | { readonly kind: "add-user" }
  | { readonly kind: "sync-folder" };

export const LEGACY_PROMPT_KINDS: readonly string[] = ["add-user", "sync-folder"];

/** Plain text in the private chat: the answer to a pending prompt whose feature does not own it yet. */
export const typedTextFeature = new Composer<BotContext>();

typedTextFeature.chatType("private").on("message:text", async (ctx, next) => {
  const text = ctx.message.text;
  // A command, but not a path such as /mnt/share/Lectures typed in answer to a prompt.
  if (/^\/[A-Za-z0-9_]+(?:@\w+)?(?:\s|$)/u.test(text)) return next();
  const prompt = (await ctx.prompt.pending()) as LegacyPrompt | null;
  switch (prompt?.kind) {
    case "add-user": return onTypedPerson(ctx, text);
    case "sync-folder": return onTypedSyncFolder(ctx, text);
    default: return next();
  }
});
