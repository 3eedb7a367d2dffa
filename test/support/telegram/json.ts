/** JSON values as they travel over the Bot API wire. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Builds a JSON object, dropping undefined fields (Telegram omits absent optionals). */
export function compact(fields: Record<string, Json | undefined>): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** Structural equality; key order does not matter (Telegram compares content, not bytes). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => jsonEqual(a[key], b[key]));
  }
  return false;
}

export function getString(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  return typeof value === "string" ? value : undefined;
}

export function getNumber(obj: JsonObject, key: string): number | undefined {
  const value = obj[key];
  return typeof value === "number" ? value : undefined;
}

export function getBoolean(obj: JsonObject, key: string): boolean | undefined {
  const value = obj[key];
  return typeof value === "boolean" ? value : undefined;
}

export function getObject(obj: JsonObject, key: string): JsonObject | undefined {
  const value = obj[key];
  return isJsonObject(value) ? value : undefined;
}

export function getArray(obj: JsonObject, key: string): Json[] | undefined {
  const value = obj[key];
  return Array.isArray(value) ? value : undefined;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
