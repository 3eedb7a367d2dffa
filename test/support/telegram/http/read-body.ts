import type { IncomingMessage } from "node:http";
import { ApiError, badRequest, TEXTS } from "../api-error.js";
import { isJsonObject, type Json } from "../json.js";
import { MultipartParser, type MultipartLimits } from "./multipart.js";
import type { RawRequest } from "./raw-request.js";

const MAX_SIMPLE_BODY = 16 * 1024 * 1024;

/**
 * Collects a request's parameters from the query string and the body, in any
 * encoding the Bot API accepts: JSON, form-urlencoded or multipart/form-data.
 */
export async function readRawRequest(req: IncomingMessage, url: URL, limits: MultipartLimits): Promise<RawRequest> {
  const raw: RawRequest = { params: new Map(), files: new Map() };
  for (const [key, value] of url.searchParams) raw.params.set(key, { source: "text", value });
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const result = await readMultipart(req, boundaryOf(req.headers["content-type"] ?? ""), limits);
    for (const [key, value] of result.fields) raw.params.set(key, { source: "text", value });
    for (const [key, file] of result.files) raw.files.set(key, file);
    return raw;
  }
  const body = await readSmallBody(req);
  if (body.length === 0) return raw;
  if (type.startsWith("application/json")) {
    for (const [key, value] of Object.entries(parseJsonBody(body))) raw.params.set(key, { source: "json", value });
  } else if (type.startsWith("application/x-www-form-urlencoded") || type === "") {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) raw.params.set(key, { source: "text", value });
  } else {
    throw badRequest(`unsupported Content-Type "${type}"`);
  }
  return raw;
}

function parseJsonBody(body: Buffer): Record<string, Json> {
  let parsed: Json;
  try {
    parsed = JSON.parse(body.toString("utf8")) as Json;
  } catch {
    throw badRequest("can't parse JSON body");
  }
  if (!isJsonObject(parsed)) throw badRequest("JSON body must be an object");
  return parsed;
}

function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw badRequest("can't parse multipart/form-data: no boundary");
  return boundary;
}

function readSmallBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_SIMPLE_BODY) {
        detach();
        reject(new ApiError(413, TEXTS.entityTooLarge, "violation"));
      } else chunks.push(chunk);
    };
    const onEnd = (): void => {
      detach();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      detach();
      reject(error);
    };
    const detach = (): void => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/** Streams the body through the parser; on a limit breach it stops listening and lets the caller answer. */
function readMultipart(req: IncomingMessage, boundary: string, limits: MultipartLimits): Promise<ReturnType<MultipartParser["finish"]>> {
  const parser = new MultipartParser(boundary, limits);
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      detach();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onData = (chunk: Buffer): void => {
      try {
        parser.write(chunk);
      } catch (error) {
        fail(error);
      }
    };
    const onEnd = (): void => {
      detach();
      try {
        resolve(parser.finish());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const detach = (): void => {
      req.off("data", onData).off("end", onEnd).off("error", fail);
    };
    req.on("data", onData).on("end", onEnd).on("error", fail);
  });
}
