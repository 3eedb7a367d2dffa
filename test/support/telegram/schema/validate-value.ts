import { isJsonObject, type Json, type JsonObject } from "../json.js";
import type { ApiSchema, SchemaType } from "./model.js";

export interface ValueContext {
  readonly schema: ApiSchema;
  /** Names of multipart file parts, so `attach://name` references can be checked. */
  readonly attachments: ReadonlySet<string>;
}

/**
 * `score` ranks how close a value came to a candidate type, so that for unions
 * (e.g. reply_markup, InlineQueryResult) the reported error is the one of the
 * type the bot most likely meant, not of the first alternative.
 */
export interface Problem {
  readonly message: string;
  readonly score: number;
}

const PRIMITIVES = new Set(["Integer", "Float", "String", "Boolean", "True", "InputFile"]);

/** Checks a JSON value against alternatives like ["Integer","String"]; undefined means valid. */
export function checkValue(value: Json, types: readonly string[], path: string, ctx: ValueContext): Problem | undefined {
  let best: Problem | undefined;
  for (const type of mergeArrayAlternatives(types)) {
    const problem = checkOne(value, type, path, ctx);
    if (problem === undefined) return undefined;
    if (best === undefined || problem.score > best.score) best = problem;
  }
  if (best === undefined || best.score === 0) {
    return { message: `Field "${path}" must be of type ${types.join(" or ")}`, score: 0 };
  }
  return best;
}

function checkOne(value: Json, type: string, path: string, ctx: ValueContext): Problem | undefined {
  if (PRIMITIVES.has(type)) return checkPrimitive(value, type, path, ctx);
  if (type.startsWith("Array of ")) return checkArray(value, type.slice("Array of ".length), path, ctx);
  const def = ctx.schema.types.get(type);
  if (def === undefined) return undefined; // a type the schema does not describe cannot be checked
  if (def.subtypes !== undefined) return checkUnion(value, def, path, ctx);
  if (def.fields !== undefined) return checkObject(value, def, path, ctx);
  return isJsonObject(value) ? undefined : kindMismatch(path, type); // field-less types like CallbackGame
}

function kindMismatch(path: string, type: string): Problem {
  return { message: `Field "${path}" must be of type ${type}`, score: 0 };
}

function checkPrimitive(value: Json, type: string, path: string, ctx: ValueContext): Problem | undefined {
  switch (type) {
    case "Integer":
      return typeof value === "number" && Number.isInteger(value) ? undefined : kindMismatch(path, type);
    case "Float":
      return typeof value === "number" && Number.isFinite(value) ? undefined : kindMismatch(path, type);
    case "Boolean":
    case "True":
      return typeof value === "boolean" ? undefined : kindMismatch(path, type);
    case "String":
      return typeof value === "string" ? checkAttachReference(value, path, ctx) : kindMismatch(path, type);
    default: // InputFile nested in JSON can only be an attach:// reference
      if (typeof value !== "string" || !value.startsWith("attach://")) return kindMismatch(path, type);
      return checkAttachReference(value, path, ctx);
  }
}

function checkAttachReference(value: string, path: string, ctx: ValueContext): Problem | undefined {
  if (!value.startsWith("attach://")) return undefined;
  const name = value.slice("attach://".length);
  if (ctx.attachments.has(name)) return undefined;
  return { message: `Field "${path}" refers to "${value}", but the request has no file part named "${name}"`, score: 2 };
}

function checkArray(value: Json, inner: string, path: string, ctx: ValueContext): Problem | undefined {
  if (!Array.isArray(value)) return kindMismatch(path, `Array of ${inner}`);
  // "A|B" inner unions come from mergeArrayAlternatives
  const alternatives = inner.split("|");
  for (const [index, item] of value.entries()) {
    const problem = checkValue(item, alternatives, `${path}[${index}]`, ctx);
    if (problem !== undefined) return { message: problem.message, score: 2 + problem.score };
  }
  return undefined;
}

function checkUnion(value: Json, def: SchemaType, path: string, ctx: ValueContext): Problem | undefined {
  const members = def.subtypes ?? [];
  if (!isJsonObject(value)) {
    // some unions admit non-objects (RichText: String, Array of RichText)
    const problem = checkValue(value, members, path, ctx);
    return problem === undefined || problem.score > 0 ? problem : kindMismatch(path, def.name);
  }
  const discriminated = members.map((name) => ctx.schema.types.get(name)?.discriminator);
  const first = discriminated[0];
  if (first === undefined || discriminated.some((d) => d === undefined || d.field !== first.field)) {
    return checkValue(value, members, path, ctx); // structural union, e.g. InputMessageContent
  }
  const actual = value[first.field];
  const matching = members.filter((_, i) => discriminated[i]?.value === actual);
  if (matching.length > 0) return checkValue(value, matching, path, ctx);
  const message =
    actual === undefined
      ? `Can't find field "${path}.${first.field}"`
      : `Field "${path}.${first.field}" has unsupported value ${JSON.stringify(actual)} for ${def.name}`;
  return { message, score: 1.5 };
}

function checkObject(value: Json, def: SchemaType, path: string, ctx: ValueContext): Problem | undefined {
  if (!isJsonObject(value)) return kindMismatch(path, def.name);
  const discriminator = def.discriminator;
  if (discriminator !== undefined && value[discriminator.field] !== discriminator.value) {
    return { message: `Field "${path}.${discriminator.field}" must be "${discriminator.value}"`, score: 1 };
  }
  const fields = new Map((def.fields ?? []).map((field) => [field.name, field]));
  const present = presentKeys(value);
  const base = 2 + present.filter((key) => fields.has(key)).length;
  for (const field of fields.values()) {
    if (field.required && !present.includes(field.name)) {
      return { message: `Can't find field "${path}.${field.name}"`, score: base };
    }
  }
  for (const key of present) {
    const field = fields.get(key);
    if (field === undefined) return { message: `Unknown field "${path}.${key}" in ${def.name}`, score: base };
    const problem = checkValue(value[key] ?? null, field.types, `${path}.${key}`, ctx);
    if (problem !== undefined) return { message: problem.message, score: base + problem.score / 100 };
  }
  return undefined;
}

/** Telegram treats `null` like an omitted field. */
function presentKeys(value: JsonObject): string[] {
  return Object.keys(value).filter((key) => value[key] !== null);
}

/**
 * sendMediaGroup's media is typed "Array of InputMediaAudio | Array of
 * InputMediaPhoto | …", yet Telegram accepts photos and videos mixed in one
 * album; checking element by element against the union is the faithful reading.
 */
export function mergeArrayAlternatives(types: readonly string[]): readonly string[] {
  if (types.length < 2 || !types.every((type) => type.startsWith("Array of "))) return types;
  return [`Array of ${types.map((type) => type.slice("Array of ".length)).join("|")}`];
}
