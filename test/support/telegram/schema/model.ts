/** The vendored Bot API description, reduced to what validation needs. */
export interface SchemaField {
  readonly name: string;
  readonly types: readonly string[];
  readonly required: boolean;
  readonly description: string;
}

export interface SchemaMethod {
  readonly name: string;
  readonly fields: readonly SchemaField[];
  readonly returns: readonly string[];
}

/** A union member tells itself apart by a constant field, e.g. `type` = "article". */
export interface Discriminator {
  readonly field: string;
  readonly value: string;
}

export interface SchemaType {
  readonly name: string;
  readonly fields?: readonly SchemaField[];
  readonly subtypes?: readonly string[];
  readonly discriminator?: Discriminator;
}

export interface ApiSchema {
  readonly version: string;
  /** Keyed by lower-case name: Telegram method names are case-insensitive. */
  readonly methods: ReadonlyMap<string, SchemaMethod>;
  readonly types: ReadonlyMap<string, SchemaType>;
}

const DISCRIMINATOR_FIELDS = new Set(["type", "status", "source"]);
// "Type of the result, must be article", "always \"user\"", "must be *article*"
const DISCRIMINATOR_TEXT = /(?:must be|always)\s+[*"“]?([a-z0-9_]+)[*"”]?\.?\s*$/;

export function findDiscriminator(fields: readonly SchemaField[]): Discriminator | undefined {
  for (const field of fields) {
    if (!field.required || !DISCRIMINATOR_FIELDS.has(field.name)) continue;
    if (field.types.length !== 1 || field.types[0] !== "String") continue;
    const match = DISCRIMINATOR_TEXT.exec(field.description);
    if (match?.[1] !== undefined) return { field: field.name, value: match[1] };
  }
  return undefined;
}
