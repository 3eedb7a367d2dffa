import { getNumber, getString, type Json } from "../json.js";
import { checkInlineAnswer } from "../limits/inline.js";
import { checkCallbackAnswer } from "../limits/text.js";
import type { MethodContext } from "./context.js";
import { stringParam } from "./targets.js";

export function answerCallbackQuery(ctx: MethodContext): Json {
  // Checked before the query is used up: a refused answer leaves it open, as Telegram does.
  checkCallbackAnswer(stringParam(ctx, "text"));
  ctx.core.queries.answer("callback", stringParam(ctx, "callback_query_id") ?? "", {
    text: stringParam(ctx, "text"),
    showAlert: ctx.params.show_alert === true,
    url: stringParam(ctx, "url"),
    cacheTime: getNumber(ctx.params, "cache_time"),
  });
  return true;
}

export function answerInlineQuery(ctx: MethodContext): Json {
  checkInlineAnswer(ctx.params, ctx.core.formatOptions());
  ctx.core.queries.answer("inline", stringParam(ctx, "inline_query_id") ?? "", {
    results: Array.isArray(ctx.params.results) ? ctx.params.results : [],
    nextOffset: getString(ctx.params, "next_offset") ?? "",
    cacheTime: getNumber(ctx.params, "cache_time") ?? 300,
    isPersonal: ctx.params.is_personal === true,
    button: ctx.params.button,
  });
  return true;
}
