import { GrammyError, type MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";
import type { ActionCatalogue } from "../actions.js";
import { actorOf } from "../views/respond.js";
import { can, Forbidden, roleFor, type Permission } from "../../services/people/permissions.js";
import { escapeHtml } from "../format.js";

/** The permission an update needs before any feature sees it, or null when every role may go on. */
export function permissionNeeded(ctx: BotContext, actions: ActionCatalogue): Permission | null {
  const data = ctx.callbackQuery?.data;
  if (data !== undefined) {
    const button = actions.buttonFor(data);
    // Not a declared button, or data that does not fit it (stale, forged, cut): its feature or the
    // fallback answers "this menu expired", and nothing is done for anyone.
    return button === null || button.needs === "anyone" ? null : button.needs;
  }
  const text = ctx.message?.text;
  const command = text === undefined ? null : /^\/([a-z_]+)(?:@\w+)?(?:\s|$)/i.exec(text)?.[1]?.toLowerCase();
  if (command != null) {
    const needs = actions.commandNeeds(command);
    return needs === null || needs === "anyone" ? null : needs;
  }
  if (ctx.inlineQuery !== undefined || ctx.chosenInlineResult !== undefined) return "browse";
  return null;
}

/** Refuses an action the person's role does not allow, audits it, and tells them briefly. */
export async function refuseAction(ctx: BotContext, permission: Permission): Promise<void> {
  const actor = actorOf(ctx);
  const what = ctx.callbackQuery?.data ?? ctx.message?.text?.split(/\s/u)[0] ?? "";
  ctx.deps.logger.info({ userId: ctx.from?.id, permission, what }, "refused an action the role does not allow");
  await ctx.deps.services.audit.record({ actor, action: "access.refused", target: { type: "user", id: ctx.from?.id ?? 0 }, after: { permission, role: ctx.role, what } });
  const text = `🔒 Your role (${ctx.role ?? "none"}) cannot do that: it needs ${roleFor(permission)} or above. An administrator can change roles in /users.`;
  if (ctx.inlineQuery !== undefined) {
    await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
  } else if (ctx.callbackQuery !== undefined) {
    try {
      await ctx.answerCallbackQuery({ text, show_alert: true });
    } catch (error) {
      // Already answered before the service refused: say it in the chat instead.
      if (!(error instanceof GrammyError)) throw error;
      if (ctx.chat?.type === "private") await ctx.reply(escapeHtml(text));
    }
  } else if (ctx.chat?.type === "private") {
    // Chat text is parsed as HTML (the alert above is plain).
    await ctx.reply(escapeHtml(text));
  }
}

/**
 * Checks the role before a feature runs (so nothing half-happens), and turns a refusal from the
 * service layer (the second line of defence, e.g. a prompt answered after a demotion) into the same answer.
 */
export function permissionGate(actions: ActionCatalogue): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const needed = permissionNeeded(ctx, actions);
    if (needed !== null && !can(ctx.role, needed)) return refuseAction(ctx, needed);
    try {
      await next();
    } catch (error) {
      if (error instanceof Forbidden) return refuseAction(ctx, error.permission);
      throw error;
    }
  };
}
