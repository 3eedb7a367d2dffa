import { z } from "zod";

/*
 * Building blocks for environment variables. Every variable arrives as text or not at all; unset and blank
 * mean the same (a `.env` line `NAME=` leaves the default). Messages say what is expected, for the person
 * fixing it, and quote the value unless it may be a secret.
 */

/**
 * One variable: unset or blank gives `fallback`; otherwise its trimmed text must pass `schema`. The check runs
 * inside one transform that turns its problems into plain issues on the variable and yields the fallback: a
 * bad variable then never stops the others, nor the rules across variables, from being checked, so one
 * message names every problem.
 */
export function variable<T, const F>(schema: z.ZodType<T, string>, fallback: F) {
  return z.string().optional().transform((raw, ctx): T | F => {
    if (raw === undefined || raw.trim() === "") return fallback;
    const parsed = schema.safeParse(raw.trim());
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.issues.push({ code: "custom", message: issue.message, input: raw });
    return fallback;
  });
}

/** A path or command; blank gives undefined, for the caller to default (often relative to another setting). */
export const text = variable(z.string(), undefined);

/** A number within [min, max]. */
export function number(fallback: number, min: number, max: number, unit: string) {
  return variable(z.string().refine((s) => Number(s) >= min && Number(s) <= max, {
    error: (issue) => `a number of ${unit} from ${min} to ${max}, got "${String(issue.input)}"`,
  }).transform(Number), fallback);
}

/** 1/true/yes/on or 0/false/no/off, in any case. */
export function flag(fallback: boolean) {
  return variable(z.stringbool({ truthy: ["1", "true", "yes", "on"], falsy: ["0", "false", "no", "off"], case: "insensitive",
    error: (issue) => `true or false, got "${String(issue.input)}"` }), fallback);
}

/** One of a few words, in any case. */
export function oneOf<const T extends readonly [string, ...string[]], const F>(values: T, fallback: F, expected: string) {
  return variable(z.string().toLowerCase().pipe(z.enum(values, { error: (issue) => `${expected}, got "${String(issue.input)}"` })), fallback);
}

/** Parses with a function that returns the value, or the problem; for the forms zod has no word for. */
export function parsedWith<T>(parse: (raw: string) => { value: T } | { problem: string }) {
  return z.string().transform((raw, ctx): T => {
    const parsed = parse(raw);
    if ("value" in parsed) return parsed.value;
    ctx.issues.push({ code: "custom", message: parsed.problem, input: raw });
    return z.NEVER;
  });
}
