import type { Conversation } from "@grammyjs/conversations";
import type { BotContext, ConversationContext } from "../../context.js";

type Convo = Conversation<BotContext, ConversationContext>;

/**
 * Mid-dialogue, a tap on another message's button and a command still do what they always do (their
 * feature answers them), and the dialogue keeps waiting for its answer: nothing is swallowed, and no
 * button's spinner is left turning.
 */
function belongsElsewhere(ctx: ConversationContext, ownButton: (data: string) => boolean): boolean {
  const data = ctx.callbackQuery?.data;
  if (ctx.callbackQuery !== undefined) return data === undefined || !ownButton(data);
  const first = ctx.message?.entities?.[0];
  return first?.type === "bot_command" && first.offset === 0;
}

/** The next update that is the dialogue's to handle; anything else is passed on to the rest of the bot. */
export async function waitInDialogue(conversation: Convo, ownButton: (data: string) => boolean = () => false): Promise<ConversationContext> {
  for (;;) {
    const ctx = await conversation.wait();
    if (!belongsElsewhere(ctx, ownButton)) return ctx;
    await conversation.skip({ next: true });
  }
}

/** The next text message of the dialogue; other messages (a photo, a sticker) get `otherwise`'s reply. */
export async function waitForText(conversation: Convo, otherwise: (ctx: ConversationContext) => Promise<unknown>): Promise<{ ctx: ConversationContext; text: string }> {
  for (;;) {
    const ctx = await waitInDialogue(conversation);
    const text = ctx.message?.text;
    if (text !== undefined) return { ctx, text };
    await otherwise(ctx);
  }
}
