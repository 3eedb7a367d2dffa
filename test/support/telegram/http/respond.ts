import type { ServerResponse } from "node:http";
import type { ApiError } from "../api-error.js";
import { compact, type Json, type JsonObject } from "../json.js";

/** Writes a JSON answer unless the client is already gone. */
export function sendJson(res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function okBody(result: Json): JsonObject {
  return { ok: true, result };
}

export function errorBody(error: ApiError): JsonObject {
  return compact({ ok: false, error_code: error.code, description: error.description, parameters: error.parameters });
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}
