// Callback data is `feature:verb:arg…` in ASCII, at most 64 bytes (Telegram's limit). It never carries
// paths or titles: larger state lives in a row and only its id travels.

export const MAX_CALLBACK_BYTES = 64;
const PART = /^[A-Za-z0-9_.-]+$/;

export interface CallbackData {
  readonly feature: string;
  readonly verb: string;
  readonly args: readonly string[];
}

/** Builds callback data, throwing on a bug (non-ASCII parts or over 64 bytes) rather than letting Telegram refuse it. */
export function encodeCallback(feature: string, verb: string, ...args: readonly (string | number)[]): string {
  const parts = [feature, verb, ...args.map(String)];
  for (const part of parts) {
    if (!PART.test(part)) throw new Error(`callback data part "${part}" must be ASCII letters, digits, _ . -`);
  }
  const data = parts.join(":");
  if (Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) throw new Error(`callback data "${data}" exceeds ${MAX_CALLBACK_BYTES} bytes`);
  return data;
}

/** Parses callback data, or null when it is not ours (a stale or forged button). */
export function decodeCallback(data: string | undefined): CallbackData | null {
  if (data === undefined || Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) return null;
  const parts = data.split(":");
  if (parts.length < 2 || parts.some((p) => !PART.test(p))) return null;
  const [feature = "", verb = "", ...args] = parts;
  return { feature, verb, args };
}
