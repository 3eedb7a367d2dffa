import type { EmulatorCore } from "../core.js";
import type { UploadedFile } from "../http/raw-request.js";
import type { Json, JsonObject } from "../json.js";

export interface MethodContext {
  readonly core: EmulatorCore;
  /** Canonical method name from the schema, e.g. "sendMessage". */
  readonly method: string;
  /** Validated, typed parameters. */
  readonly params: JsonObject;
  readonly attachments: ReadonlyMap<string, UploadedFile>;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
}

export type MethodHandler = (ctx: MethodContext) => Json | Promise<Json>;
