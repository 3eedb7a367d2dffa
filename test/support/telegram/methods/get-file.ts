import { badRequest, TEXTS } from "../api-error.js";
import { compact, type Json } from "../json.js";
import { DOWNLOAD_LIMITS } from "../options.js";
import type { MethodContext } from "./context.js";
import { stringParam } from "./targets.js";

export function getFile(ctx: MethodContext): Json {
  const file = ctx.core.files.get(stringParam(ctx, "file_id") ?? "");
  if (file === undefined) throw badRequest(TEXTS.invalidFileId, "error");
  if (file.size > DOWNLOAD_LIMITS[ctx.core.options.profile]) throw badRequest(TEXTS.fileTooBig, "error");
  return compact({
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.size || undefined,
    file_path: file.filePath,
  });
}
