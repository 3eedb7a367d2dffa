import { badRequest, TEXTS, type ApiError } from "../api-error.js";
import type { RawParam, RawRequest } from "../http/raw-request.js";
import type { Json, JsonObject } from "../json.js";
import type { ApiSchema, SchemaField, SchemaMethod } from "./model.js";
import { checkValue, mergeArrayAlternatives, type Problem, type ValueContext } from "./validate-value.js";

/**
 * Validates a request against the method's schema and returns the parameters
 * as typed JSON. Top-level file parts become "attach://<name>" strings so that
 * handlers resolve every InputFile the same way.
 */
export function validateParams(method: SchemaMethod, raw: RawRequest, schema: ApiSchema): JsonObject {
  const ctx: ValueContext = { schema, attachments: new Set(raw.files.keys()) };
  const fields = new Map(method.fields.map((field) => [field.name, field]));
  for (const name of raw.params.keys()) {
    if (!fields.has(name)) throw badRequest(`unknown parameter "${name}" for method ${method.name}`);
  }
  const result: JsonObject = {};
  for (const field of method.fields) {
    const param = paramFor(field, raw);
    if (param === undefined) {
      if (field.required) throw missingParam(method, field);
      continue;
    }
    result[field.name] = coerceParam(param, field, ctx);
  }
  return result;
}

function paramFor(field: SchemaField, raw: RawRequest): RawParam | undefined {
  const param = raw.params.get(field.name);
  if (param === undefined) {
    // curl -F video=@clip.mp4 style: the file part itself carries the parameter name
    const isFileField = field.types.includes("InputFile");
    return isFileField && raw.files.has(field.name) ? { source: "text", value: `attach://${field.name}` } : undefined;
  }
  if (param.source === "json" && param.value === null) return undefined;
  // Telegram treats an empty form value of a non-string parameter as "not given"
  if (param.source === "text" && param.value === "" && !field.types.includes("String")) return undefined;
  return param;
}

function missingParam(method: SchemaMethod, field: SchemaField): ApiError {
  if (field.name === "text") return badRequest(TEXTS.textEmpty);
  if (field.name === "chat_id") return badRequest("chat_id is empty");
  return badRequest(`parameter "${field.name}" is required for method ${method.name}`);
}

function coerceParam(param: RawParam, field: SchemaField, ctx: ValueContext): Json {
  let best: Problem | undefined;
  for (const type of mergeArrayAlternatives(field.types)) {
    const value = toCandidate(param, type);
    if (value === undefined) continue;
    if (value instanceof ParseFailure) {
      best ??= { message: "", score: 0.5 };
      continue;
    }
    const problem = checkValue(value, [type], field.name, ctx);
    if (problem === undefined) return value;
    if (best === undefined || problem.score > best.score) best = problem;
  }
  throw badRequest(describeFailure(field, best));
}

function describeFailure(field: SchemaField, best: Problem | undefined): string {
  if (best !== undefined && best.score === 0.5) return `can't parse ${field.name} JSON object`;
  if (best === undefined || best.score === 0) {
    return `parameter "${field.name}" must be of type ${field.types.join(" or ")}`;
  }
  return `can't parse ${field.name}: ${best.message}`;
}

class ParseFailure {}

/** Converts a raw parameter into the JSON shape of one candidate type, if it can have that shape. */
function toCandidate(param: RawParam, type: string): Json | ParseFailure | undefined {
  const structured = type.startsWith("Array of ") || !["Integer", "Float", "Boolean", "String", "InputFile"].includes(type);
  if (structured) {
    // Telegram accepts JSON-serialized objects as strings in every encoding
    if (param.source === "json" && typeof param.value !== "string") return param.value;
    try {
      return JSON.parse(typeof param.value === "string" ? param.value : JSON.stringify(param.value)) as Json;
    } catch {
      return new ParseFailure();
    }
  }
  if (param.source === "json") return param.value;
  return fromText(param.value, type);
}

function fromText(text: string, type: string): Json | undefined {
  switch (type) {
    case "Integer":
      return /^\s*-?\d+\s*$/.test(text) ? Number(text) : undefined;
    case "Float":
      return /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : undefined;
    case "Boolean": {
      const lower = text.toLowerCase();
      if (lower === "true" || lower === "1") return true;
      return lower === "false" || lower === "0" ? false : undefined;
    }
    default:
      return text; // String, InputFile (attach:// reference)
  }
}
