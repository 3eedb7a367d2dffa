import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../api-error.js";
import { STATUS_TEXTS, type FaultSpec } from "../faults.js";
import { sendJson, sendText } from "./respond.js";

export type FaultOutcome = "continue" | "answered" | "abandoned";

/**
 * Applies an injected fault. "continue" means process the request normally
 * (after a delay), "answered" that a fault response was sent, "abandoned" that
 * the request will never be answered (hang, drop).
 */
export async function applyFault(fault: FaultSpec, req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<FaultOutcome> {
  switch (fault.kind) {
    case "delay":
      await sleep(fault.ms, signal);
      return "continue";
    case "hang":
      return "abandoned"; // the socket stays open until the client gives up or the emulator stops
    case "drop":
    case "drop-during-body": // normally applied before the body is read (see Exchange); here the body is already in
      req.socket.destroy();
      return "abandoned";
    case "drop-after-processing":
    case "hang-after-processing":
      return "continue"; // the Exchange processes the request, then drops or withholds the answer
    case "429":
      throw tooManyRequests(fault.retryAfter ?? 1, "injected");
    case "error":
      throw new ApiError(fault.status, fault.description, "injected");
    case "5xx": {
      const status = fault.status ?? 502;
      const text = STATUS_TEXTS[status] ?? "Server Error";
      if (fault.body === "html") {
        sendText(res, status, "text/html", `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n`);
      } else sendJson(res, status, { ok: false, error_code: status, description: text });
      return "answered";
    }
  }
}

export function tooManyRequests(retryAfter: number, kind: "injected" | "error"): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, kind, { retry_after: retryAfter });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
