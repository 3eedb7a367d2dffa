import { statSync } from "node:fs";
import { basename, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { badRequest, TEXTS } from "../api-error.js";
import type { FileKind, FileRecord } from "../state/records.js";
import type { MethodContext } from "./context.js";

const MIME: Record<string, string> = {
  ".mp4": "video/mp4", ".mkv": "video/x-matroska", ".mov": "video/quicktime", ".webm": "video/webm",
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf",
};

/**
 * Resolves an InputFile-or-String parameter the way Telegram does: an uploaded
 * part (attach://), an HTTP URL, a file_id, or — local profile only — a
 * file:// path the server reads itself.
 */
export function resolveInputFile(ctx: MethodContext, value: string, kind: FileKind): FileRecord {
  if (value.startsWith("attach://")) return fromUpload(ctx, value.slice("attach://".length), kind);
  if (/^file:\/\//i.test(value)) return fromLocalPath(ctx, value, kind);
  if (/^https?:\/\//i.test(value)) {
    const name = basename(new URL(value).pathname) || undefined;
    return ctx.core.files.add({ kind, size: 0, fileName: name, mimeType: mimeOf(name, kind), source: "url" });
  }
  const known = ctx.core.files.get(value);
  // Telegram cannot tell a stale file_id from a made-up one; a bot can hold stale ones legitimately
  if (known === undefined) throw badRequest(TEXTS.wrongFileId, "error");
  return known;
}

function fromUpload(ctx: MethodContext, name: string, kind: FileKind): FileRecord {
  const upload = ctx.attachments.get(name);
  if (upload === undefined) throw badRequest(`file "attach://${name}" was not uploaded`); // validation catches this first
  const complete = upload.head.length === upload.size;
  return ctx.core.files.add({
    kind,
    size: upload.size,
    fileName: upload.fileName,
    mimeType: mimeOf(upload.fileName, kind),
    source: "upload",
    data: complete ? upload.head : undefined,
  });
}

function fromLocalPath(ctx: MethodContext, value: string, kind: FileKind): FileRecord {
  // api.telegram.org only fetches http(s) URLs; file:// means nothing to it
  if (ctx.core.options.profile === "cloud") throw badRequest(TEXTS.wrongFileId);
  let path: string;
  try {
    path = fileURLToPath(value);
  } catch {
    throw badRequest(TEXTS.wrongFileId);
  }
  if (!isAbsolute(path)) throw badRequest(TEXTS.wrongFileId);
  let size: number;
  try {
    size = statSync(path).size; // stat, not read: sparse test files cost nothing
  } catch {
    throw badRequest(TEXTS.fileNotFound, "error");
  }
  if (size > ctx.core.options.uploadLimitBytes) throw badRequest(TEXTS.fileTooBig);
  const name = basename(path);
  return ctx.core.files.add({ kind, size, fileName: name, mimeType: mimeOf(name, kind), source: "local", filePath: path });
}

function mimeOf(name: string | undefined, kind: FileKind): string | undefined {
  const extension = /\.[^.]+$/.exec(name ?? "")?.[0]?.toLowerCase();
  const known = extension === undefined ? undefined : MIME[extension];
  if (known !== undefined) return known;
  return kind === "video" ? "video/mp4" : kind === "document" ? "application/octet-stream" : undefined;
}
