import { Composer } from "grammy";
import type { z } from "zod";
import type { BotContext } from "../context.js";

// A command, but not a path such as /mnt/share/Lectures typed in answer to a question.
const COMMAND = /^\/[A-Za-z0-9_]+(?:@\w+)?(?:\s|$)/u;

/** True when a typed text is a command rather than an answer. */
export function isCommand(text: string): boolean {
  return COMMAND.test(text);
}

export interface PromptDefinition<S extends object> {
  readonly kind: string;
  /** Asks the question: the next plain text typed in that chat goes to this prompt's answer. */
  ask(ctx: BotContext, state: S, chatId?: number): Promise<void>;
  /** Answers typed text while this question is pending; mounted by the feature that owns it. */
  readonly middleware: Composer<BotContext>;
}

/**
 * A one-step question owned by one feature: a kind, the state it carries (checked with zod when read
 * back, since it outlives restarts and upgrades), and what to do with the typed answer. The answer may
 * ask again (to keep the question open) or clear it. Adding a question touches only its feature.
 */
export function definePrompt<S extends object>(
  kind: string,
  state: z.ZodType<S>,
  answer: (ctx: BotContext & { message: { text: string } }, state: S, text: string) => Promise<void>,
): PromptDefinition<S> {
  const middleware = new Composer<BotContext>();
  middleware.chatType("private").on("message:text", async (ctx, next) => {
    const text = ctx.message.text;
    // A forwarded channel post is how a channel is added (the channels feature answers it), never an answer here.
    if (isCommand(text) || ctx.message.forward_origin?.type === "channel") return next();
    const pending = await ctx.prompt.pending();
    if (pending?.kind !== kind) return next();
    const { kind: _kind, ...saved } = pending;
    const parsed = state.safeParse(saved);
    if (!parsed.success) {
      // Saved by a version whose question carried other state: ask the person to start again.
      await ctx.prompt.clear();
      await ctx.reply("That question expired. Please start again.");
      return;
    }
    await answer(ctx, parsed.data, text);
  });
  return {
    kind,
    ask: (ctx, value, chatId) => ctx.prompt.ask({ ...value, kind }, chatId),
    middleware,
  };
}
