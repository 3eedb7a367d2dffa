import { badRequest } from "../api-error.js";
import { isJsonObject, type Json, type JsonObject } from "../json.js";
import { checkCommands } from "../limits/commands.js";
import { botUserJson } from "../state/api-objects.js";
import { DEFAULT_SCOPE } from "../state/commands.js";
import type { MethodContext } from "./context.js";
import { stringParam } from "./targets.js";

/** getMe's User, with every "Returned only in getMe" flag the schema lists. */
export function getMe(ctx: MethodContext): Json {
  const result: JsonObject = botUserJson(ctx.core.bot);
  const userType = ctx.core.schema.types.get("User");
  for (const field of userType?.fields ?? []) {
    if (field.description.includes("Returned only in getMe") && field.types.includes("Boolean")) result[field.name] = false;
  }
  result.supports_inline_queries = ctx.core.bot.supportsInlineQueries;
  return result;
}

export function setWebhook(ctx: MethodContext): Json {
  ctx.core.webhookUrl = stringParam(ctx, "url") ?? "";
  return true;
}

export function deleteWebhook(ctx: MethodContext): Json {
  ctx.core.webhookUrl = "";
  if (ctx.params.drop_pending_updates === true) ctx.core.updates.clear();
  return true;
}

export function getWebhookInfo(ctx: MethodContext): Json {
  return { url: ctx.core.webhookUrl, has_custom_certificate: false, pending_update_count: ctx.core.updates.pending().length };
}

function scopeOf(ctx: MethodContext): [JsonObject, string] {
  const scope = isJsonObject(ctx.params.scope) ? ctx.params.scope : DEFAULT_SCOPE;
  return [scope, stringParam(ctx, "language_code") ?? ""];
}

export function setMyCommands(ctx: MethodContext): Json {
  const commands = checkCommands(ctx.params.commands);
  const language = stringParam(ctx, "language_code") ?? "";
  if (language !== "" && !/^[a-z]{2}$/.test(language)) throw badRequest("invalid language code specified");
  ctx.core.commands.set(...scopeOf(ctx), commands);
  return true;
}

export function getMyCommands(ctx: MethodContext): Json {
  return ctx.core.commands.get(...scopeOf(ctx)).map((entry) => ({ ...entry }));
}

export function deleteMyCommands(ctx: MethodContext): Json {
  ctx.core.commands.delete(...scopeOf(ctx));
  return true;
}
