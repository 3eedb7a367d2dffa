import { GrammyError } from "grammy";
import type { BotContext } from "../context.js";
import type { View } from "./view.js";
import { userActor, type Actor } from "../../services/people/actor.js";
import type { Role } from "../../entities/user.js";

export const EXPIRED = "This menu expired — search again.";
/** The answer to a press no feature recognised (not one of vidlib's buttons, or one it no longer draws). */
export const UNKNOWN_MENU = "This menu expired. Please start again.";

/** Replaces the pressed message with a view; an unchanged view (a double tap) is not an error. */
export async function showInPlace(ctx: BotContext, view: View): Promise<void> {
  // An empty keyboard removes the old buttons, so a finished action cannot be pressed again.
  const markup = view.keyboard.inline_keyboard.some((row) => row.length > 0) ? view.keyboard : { inline_keyboard: [] };
  try {
    await ctx.editMessageText(view.text, { reply_markup: markup, link_preview_options: { is_disabled: true } });
  } catch (error) {
    if (!(error instanceof GrammyError && error.description.includes("message is not modified"))) throw error;
  }
}

/** Sends a view as a new message; returns its id. */
export async function send(ctx: BotContext, view: View): Promise<number> {
  const markup = view.keyboard.inline_keyboard.some((row) => row.length > 0) ? view.keyboard : undefined;
  const message = await ctx.reply(view.text, { reply_markup: markup, link_preview_options: { is_disabled: true } });
  return message.message_id;
}

/** The user and chat of an update; features behind the access gate always have both. */
export function who(ctx: BotContext): { userId: number; chatId: number } {
  return { userId: ctx.from?.id ?? 0, chatId: ctx.chat?.id ?? ctx.from?.id ?? 0 };
}

/** The person pressing or typing, with the role the access gate looked up for this update. */
export function actorOf(ctx: BotContext): Actor {
  if (ctx.role === null || ctx.from === undefined) throw new Error("actorOf used before the access gate");
  return userActor(ctx.from.id, ctx.role);
}

/** The person an update comes from, for drawing only the buttons they may use. */
export function viewerOf(ctx: BotContext): { id: number; role: Role } {
  const actor = actorOf(ctx);
  return actor.kind === "user" ? { id: actor.id, role: actor.role } : { id: 0, role: "viewer" };
}
