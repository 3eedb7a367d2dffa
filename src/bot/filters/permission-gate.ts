import { GrammyError, type MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";
import { decodeCallback } from "../callback-data/codec.js";
import type { ActionCatalogue } from "../actions.js";
import { actorOf } from "../views/respond.js";
import { COMMAND_PERMISSIONS } from "../commands.js";
import { can, Forbidden, roleFor, type Permission } from "../../services/permissions.js";

type VerbPermissions = { readonly default: Permission } & Readonly<Record<string, Permission>>;

/** What each button needs, by callback feature and verb; the service layer checks again. */
export const CALLBACK_PERMISSIONS: Readonly<Record<string, VerbPermissions>> = {
  // the video card
  v: { default: "tag", o: "browse", c: "browse", g: "categorise", k: "categorise", cv: "convert", cx: "convert", pu: "queue", pf: "publish", px: "queue", h: "history" },
  s: { default: "browse" },
  b: { default: "tag", n: "browse", c: "categorise", C: "categorise", yc: "categorise", v: "convert", yv: "convert", pu: "queue", ypu: "queue" },
  q: { default: "publish", l: "queue" },
  p: { default: "publish" },
  r: { default: "publish" },
  cv: { default: "convert" },
  c: { default: "categories" },
  cataud: { default: "categories" },
  ch: { default: "channels" },
  st: { default: "settings" },
  hx: { default: "export" },
};

/** The permission an update needs before any feature sees it, or null when every role may go on. */
export function permissionNeeded(ctx: BotContext, actions: ActionCatalogue): Permission | null {
  const data = ctx.callbackQuery?.data;
  if (data !== undefined) {
    const button = actions.buttonFor(data);
    if (button !== null) return button.needs === "anyone" ? null : button.needs;
    const decoded = decodeCallback(data);
    const verbs = decoded === null ? undefined : CALLBACK_PERMISSIONS[decoded.feature];
    // Not ours (stale or forged): the features answer "expired"; nothing is done for anyone.
    if (decoded === null || verbs === undefined) return null;
    return verbs[decoded.verb] ?? verbs.default;
  }
  const text = ctx.message?.text;
  const command = text === undefined ? null : /^\/([a-z_]+)(?:@\w+)?(?:\s|$)/i.exec(text)?.[1]?.toLowerCase();
  if (command != null) {
    const needs = actions.commandNeeds(command);
    if (needs !== null) return needs === "anyone" ? null : needs;
    return COMMAND_PERMISSIONS[command] ?? null;
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
      if (ctx.chat?.type === "private") await ctx.reply(text);
    }
  } else if (ctx.chat?.type === "private") {
    await ctx.reply(text);
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
