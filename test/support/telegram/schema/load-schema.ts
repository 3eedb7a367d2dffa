import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isJsonObject, type Json, type JsonObject } from "../json.js";
import { findDiscriminator, type ApiSchema, type SchemaField, type SchemaMethod, type SchemaType } from "./model.js";

const FIXTURE = join("test", "fixtures", "telegram-bot-api", "api.json");

let cached: ApiSchema | undefined;

/** Loads (once) the vendored schema; works from sources and from compiled dist/. */
export function loadApiSchema(): ApiSchema {
  cached ??= parseSchema(JSON.parse(readFileSync(locateSchemaFile(), "utf8")) as Json);
  return cached;
}

/**
 * Walks up from this module to the package root. A path relative to this file
 * would break once tsc moves it to dist/test/support/telegram/schema/.
 */
export function locateSchemaFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, FIXTURE))) return join(dir, FIXTURE);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find ${FIXTURE} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function parseSchema(raw: Json): ApiSchema {
  if (!isJsonObject(raw) || !isJsonObject(raw.methods) || !isJsonObject(raw.types)) {
    throw new Error("api.json: expected {version, methods, types}");
  }
  const methods = new Map<string, SchemaMethod>();
  for (const [name, value] of Object.entries(raw.methods)) {
    const obj = expectObject(value, name);
    methods.set(name.toLowerCase(), { name, fields: parseFields(obj, name), returns: stringList(obj.returns) });
  }
  const types = new Map<string, SchemaType>();
  for (const [name, value] of Object.entries(raw.types)) {
    types.set(name, parseType(name, expectObject(value, name)));
  }
  return { version: typeof raw.version === "string" ? raw.version : "unknown", methods, types };
}

function parseType(name: string, obj: JsonObject): SchemaType {
  const fields = obj.fields === undefined ? undefined : parseFields(obj, name);
  const subtypes = obj.subtypes === undefined ? undefined : stringList(obj.subtypes);
  const discriminator = fields === undefined ? undefined : findDiscriminator(fields);
  return { name, fields, subtypes, discriminator };
}

function parseFields(obj: JsonObject, owner: string): SchemaField[] {
  const list = obj.fields ?? [];
  if (!Array.isArray(list)) throw new Error(`api.json: ${owner}.fields is not an array`);
  return list.map((item) => {
    const field = expectObject(item, owner);
    if (typeof field.name !== "string") throw new Error(`api.json: ${owner} has a field without name`);
    return {
      name: field.name,
      types: stringList(field.types),
      required: field.required === true,
      description: typeof field.description === "string" ? field.description : "",
    };
  });
}

function expectObject(value: Json | undefined, where: string): JsonObject {
  if (!isJsonObject(value)) throw new Error(`api.json: ${where} is not an object`);
  return value;
}

function stringList(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
