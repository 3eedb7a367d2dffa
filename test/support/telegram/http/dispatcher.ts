import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, TEXTS } from "../api-error.js";
import type { EmulatorCore } from "../core.js";
import { Exchange, recordFailure } from "./exchange.js";
import { errorBody, sendJson, sendText } from "./respond.js";
import { parseRoute } from "./route.js";

/** Routes HTTP requests to Bot API calls and file downloads. */
export class Dispatcher {
  constructor(private readonly core: EmulatorCore) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((error: unknown) => {
      console.error("[telegram emulator] request failed:", error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const route = parseRoute(url.pathname);
    if (route === undefined) return sendJson(res, 404, { ok: false, error_code: 404, description: TEXTS.notFound });
    if (route.token !== this.core.options.token) {
      return this.refuse(res, route.kind === "method" ? route.method : "file", new ApiError(401, TEXTS.unauthorized, "error"));
    }
    if (route.kind === "file") return this.serveFile(route.path, res);
    const method = this.core.schema.methods.get(route.method.toLowerCase());
    if (method === undefined) return this.refuse(res, route.method, new ApiError(404, TEXTS.methodNotFound, "violation"));
    await new Exchange(this.core, method, req, res, url).run();
  }

  private refuse(res: ServerResponse, method: string, error: ApiError): void {
    this.core.requests.push({ method, params: {}, status: error.code, at: Date.now(), description: error.description });
    recordFailure(this.core, method, {}, error);
    sendJson(res, error.code, errorBody(error));
  }

  /** Downloads work for uploads small enough to have been kept in memory. */
  private serveFile(path: string, res: ServerResponse): void {
    const file = this.core.files.byPath(path);
    if (file?.data === undefined) return sendJson(res, 404, { ok: false, error_code: 404, description: TEXTS.notFound });
    sendText(res, 200, file.mimeType ?? "application/octet-stream", file.data);
  }
}
