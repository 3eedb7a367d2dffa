import { ApiError, TEXTS } from "../api-error.js";
import type { Json } from "../json.js";
import type { MethodContext } from "./context.js";
import { numberParam } from "./targets.js";

export async function getUpdates(ctx: MethodContext): Promise<Json> {
  if (ctx.core.webhookUrl !== "") throw new ApiError(409, TEXTS.webhookConflict, "violation");
  const allowed = ctx.params.allowed_updates;
  return ctx.core.updates.poll({
    offset: numberParam(ctx, "offset"),
    limit: numberParam(ctx, "limit") ?? 100,
    timeoutSeconds: numberParam(ctx, "timeout") ?? 0,
    allowedUpdates: Array.isArray(allowed) ? allowed.filter((item): item is string => typeof item === "string") : undefined,
    signal: ctx.signal,
  });
}
