import type { Permission } from "../../services/people/permissions.js";
import { decodeCallback, encodeCallback, MAX_CALLBACK_BYTES } from "./codec.js";

/**
 * One button's callback data: a feature prefix, a verb and named numeric fields (ids, pages, list
 * positions), on the wire as `feature:verb:1:2` (the format buttons already shown in chats carry).
 * A field ending in `?` may be left out, and only at the end.
 */
export type FieldKind = "id" | "id?";
export type Fields = Readonly<Record<string, FieldKind>>;

type Required<F extends Fields> = { readonly [K in keyof F as F[K] extends "id" ? K : never]: number };
type Optional<F extends Fields> = { readonly [K in keyof F as F[K] extends "id?" ? K : never]?: number };
export type ButtonValues<F extends Fields> = Required<F> & Optional<F>;

/** Who may press a button: a permission (and so its lowest role), or anyone who may use the bot at all. */
export type Needs = Permission | "anyone";

export interface Button<F extends Fields = Fields> {
  /** `feature:verb`, unique across the bot. */
  readonly key: string;
  readonly feature: string;
  readonly verb: string;
  readonly fields: F;
  /** The lowest permission allowed to press it, declared beside its handler. */
  readonly needs: Needs;
  /** The callback data for these values; throws on a bug (a negative id, or over 64 bytes). */
  pack(values: ButtonValues<F>): string;
  /** The values in this button's data, or null when the data is another button's, stale or forged. */
  unpack(data: string | undefined): ButtonValues<F> | null;
}

// The longest a number can be on the wire (a Telegram chat id, a 64-bit row id as a safe integer).
const NUMBER_DIGITS = 16;

/** Declares a button: its prefix, its verb, the permission it needs and its fields, in wire order. */
export function defineButton<const F extends Fields = Record<never, never>>(
  feature: string, verb: string, needs: Needs, fields: F = {} as F,
): Button<F> {
  const names = Object.keys(fields);
  const firstOptional = names.findIndex((n) => fields[n] === "id?");
  if (firstOptional >= 0 && names.slice(firstOptional).some((n) => fields[n] === "id")) {
    throw new Error(`button ${feature}:${verb}: optional fields must come last`);
  }
  const longest = feature.length + verb.length + 1 + names.length * (NUMBER_DIGITS + 1);
  if (longest > MAX_CALLBACK_BYTES) throw new Error(`button ${feature}:${verb} could exceed ${MAX_CALLBACK_BYTES} bytes`);
  const required = firstOptional < 0 ? names.length : firstOptional;
  return {
    key: `${feature}:${verb}`,
    feature,
    verb,
    fields,
    needs,
    pack(values) {
      const record = values as Readonly<Record<string, number | undefined>>;
      const args: number[] = [];
      for (const name of names) {
        const value = record[name];
        if (value === undefined) {
          if (fields[name] === "id") throw new Error(`button ${feature}:${verb} needs ${name}`);
          break;
        }
        if (!Number.isSafeInteger(value) || value < 0) throw new Error(`button ${feature}:${verb}: ${name} must be a whole number ≥ 0, not ${value}`);
        args.push(value);
      }
      return encodeCallback(feature, verb, ...args);
    },
    unpack(data) {
      const decoded = decodeCallback(data);
      if (decoded?.feature !== feature || decoded.verb !== verb) return null;
      if (decoded.args.length < required || decoded.args.length > names.length) return null;
      const values: Record<string, number> = {};
      for (const [i, arg] of decoded.args.entries()) {
        if (!/^\d{1,16}$/u.test(arg)) return null;
        const n = Number(arg);
        if (!Number.isSafeInteger(n)) return null;
        values[names[i] as string] = n;
      }
      return values as ButtonValues<F>;
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of buttons of any shape; each is typed where it is defined
export type AnyButton = Button<any>;
