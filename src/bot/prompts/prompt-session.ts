import type { MiddlewareFn } from "grammy";
import type { ChatStateService, Prompt } from "../../services/chat/chat-state.js";
import type { BotContext } from "../context.js";

/**
 * The question a chat was last asked (one at a time, as a person sees it: the latest question wins),
 * as `ctx.prompt`. Read at most once per update; a question of a kind no feature answers any longer
 * (saved by an older version) is forgotten rather than left to swallow a search.
 */
export class PromptSession {
  private cached: Promise<Prompt | null> | undefined;

  constructor(private readonly chat: ChatStateService, private readonly chatId: number, private readonly known: ReadonlySet<string>) {}

  /** The pending question, unless it expired or no feature answers its kind. */
  pending(): Promise<Prompt | null> {
    this.cached ??= this.chat.prompt(this.chatId).then(async (prompt) => {
      if (prompt === null || this.known.has(prompt.kind)) return prompt;
      await this.chat.clearPrompt(this.chatId);
      return null;
    });
    return this.cached;
  }

  /**
   * Asks a question in this chat, or in another (the private chat of someone who pressed a button in a
   * channel). A kind no feature declares in its `prompts` would be forgotten when read back, so asking
   * one is refused at once: the mistake shows in the first test that asks it, not as a lost answer.
   */
  async ask(prompt: Prompt, chatId = this.chatId): Promise<void> {
    if (!this.known.has(prompt.kind)) throw new Error(`the question kind "${prompt.kind}" is asked, but no feature declares it in its prompts`);
    await this.chat.setPrompt(chatId, prompt);
    if (chatId === this.chatId) this.cached = Promise.resolve(prompt);
  }

  /** Forgets the chat's question (answered, cancelled, or its subject is gone). */
  async clear(): Promise<void> {
    await this.chat.clearPrompt(this.chatId);
    this.cached = Promise.resolve(null);
  }
}

/** Puts `ctx.prompt` on every update that has a chat or a sender. */
export function promptSessions(chat: ChatStateService, known: ReadonlySet<string>): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.prompt = new PromptSession(chat, ctx.chat?.id ?? ctx.from?.id ?? 0, known);
    await next();
  };
}
