import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, TEXTS } from "../api-error.js";
import type { EmulatorCore } from "../core.js";
import type { Json, JsonObject } from "../json.js";
import { checkReplyMarkup } from "../limits/keyboard.js";
import { handlerFor } from "../methods/registry.js";
import type { RequestRecord } from "../public-types.js";
import { isRateLimited } from "../rate-limiter.js";
import type { SchemaMethod } from "../schema/model.js";
import { validateParams } from "../schema/validate-params.js";
import { applyFault, tooManyRequests } from "./faults.js";
import type { RawRequest } from "./raw-request.js";
import { readRawRequest } from "./read-body.js";
import { errorBody, okBody, sendJson } from "./respond.js";

/** One Bot API call from arrival to answer: read, record, fault, validate, limit, handle, respond. */
export class Exchange {
  private readonly controller = new AbortController();
  private record: RequestRecord | undefined;

  constructor(
    private readonly core: EmulatorCore,
    private readonly method: SchemaMethod,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly url: URL,
  ) {
    // the client giving up (abort, timeout, process killed) ends long polls and hangs
    res.on("close", () => {
      if (!res.writableFinished) this.controller.abort();
    });
  }

  async run(): Promise<void> {
    try {
      const fault = this.core.faults.take(this.method.name);
      if (fault?.kind === "drop-during-body") return await this.dropDuringBody();
      const raw = await readRawRequest(this.req, this.url, {
        maxFileBytes: this.core.options.uploadLimitBytes,
        keepBytes: this.core.options.keepUploadBytes,
        maxFieldBytes: 16 * 1024 * 1024,
      });
      this.begin(summarize(raw));
      if (fault !== undefined) {
        const outcome = await applyFault(fault, this.req, this.res, this.controller.signal);
        if (outcome !== "continue") return this.finish(outcome === "answered" ? this.res.statusCode : 0, `injected ${fault.kind}`);
      }
      const result = await this.execute(raw);
      if (fault?.kind === "drop-after-processing" || fault?.kind === "hang-after-processing") {
        // processed like any request (the post exists), but the answer never reaches the bot
        if (fault.kind === "drop-after-processing") this.req.socket.destroy();
        return this.finish(0, `injected ${fault.kind}`);
      }
      sendJson(this.res, 200, okBody(result));
      this.finish(200);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Waits for the first bytes of the body (or its end, if there is none), then cuts the connection without reading on. */
  private async dropDuringBody(): Promise<void> {
    this.begin({});
    await new Promise<void>((resolve) => {
      if (this.req.readableEnded || this.req.socket.destroyed) return resolve();
      const done = (): void => {
        this.req.off("data", done).off("end", done).off("close", done);
        this.req.pause();
        resolve();
      };
      this.req.on("data", done).on("end", done).on("close", done);
    });
    this.req.socket.destroy();
    this.finish(0, "injected drop-during-body");
  }

  private begin(params: JsonObject): void {
    this.record = { method: this.method.name, params, status: 0, at: Date.now() };
    this.core.requests.push(this.record);
    if (this.method.name !== "getUpdates") this.core.inFlight.add(this.record);
    this.core.events.emit("request", this.record);
  }

  private async execute(raw: RawRequest): Promise<Json> {
    const params = validateParams(this.method, raw, this.core.schema);
    if (this.record !== undefined) this.record.params = params;
    checkReplyMarkup(params.reply_markup);
    this.checkRateLimit(params);
    const handler = handlerFor(this.method.name) ?? ((): Json => true);
    const signal = this.controller.signal;
    return handler({ core: this.core, method: this.method.name, params, attachments: raw.files, signal });
  }

  private checkRateLimit(params: JsonObject): void {
    const limiter = this.core.rateLimiter;
    if (limiter === undefined || !isRateLimited(this.method.name)) return;
    const chatId = params.chat_id;
    const retryAfter = limiter.check(typeof chatId === "number" || typeof chatId === "string" ? String(chatId) : "inline");
    if (retryAfter !== undefined) throw tooManyRequests(retryAfter, "error");
  }

  private finish(status: number, description?: string): void {
    const record = this.record;
    if (record === undefined) return;
    const gone = this.controller.signal.aborted && status !== 0;
    // an answer written to a closed connection never reached the bot
    record.status = gone ? 0 : status;
    record.answeredAt = Date.now();
    if (gone) record.description = "client disconnected";
    else if (description !== undefined) record.description = description;
    this.core.inFlight.delete(record);
    this.core.events.emit("answered", record);
  }

  private fail(error: unknown): void {
    const apiError = error instanceof ApiError ? error : internalError(error);
    if (this.record === undefined) this.begin({});
    // after a refused upload the rest of the body is not worth reading: close the connection
    const headers: Record<string, string> = apiError.code === 413 ? { connection: "close" } : {};
    sendJson(this.res, apiError.code, errorBody(apiError), headers);
    this.finish(apiError.code, apiError.description);
    if (apiError.description === TEXTS.getUpdatesConflict) return this.recordConflictLater(apiError);
    // nobody is listening any more (e.g. a long poll cut short): nothing happened from the bot's view
    if (!this.controller.signal.aborted) recordFailure(this.core, this.method.name, this.record?.params ?? {}, apiError);
  }

  /**
   * grammY's bot.stop() aborts its long poll and at once confirms the offset
   * with a new getUpdates, which terminates the old poll before the server has
   * noticed the abort. Only a poll whose client is still connected a moment
   * later was a genuine second bot instance.
   */
  private recordConflictLater(error: ApiError): void {
    const params = this.record?.params ?? {};
    setTimeout(() => {
      if (!this.req.socket.destroyed) recordFailure(this.core, this.method.name, params, error);
    }, 50).unref();
  }
}

export function recordFailure(core: EmulatorCore, method: string, params: JsonObject, error: ApiError): void {
  if (error.kind === "violation") core.violations.push({ method, message: error.description, params });
  else if (error.kind === "error") core.errors.push({ method, code: error.code, message: error.description, params });
}

function internalError(error: unknown): ApiError {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`[telegram emulator] internal error: ${message}`);
  return new ApiError(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`, "error");
}

/** What arrived, for the request log: typed JSON as is, text as text, files by name and size. */
function summarize(raw: RawRequest): JsonObject {
  const result: JsonObject = {};
  for (const [key, param] of raw.params) result[key] = param.value;
  for (const [key, file] of raw.files) result[`file:${key}`] = { file_name: file.fileName, size: file.size };
  return result;
}
