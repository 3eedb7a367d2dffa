// Bot tokens show up in request URLs (grammY's HttpError keeps node-fetch's error, whose text names
// the URL), so every line that leaves the process is scrubbed here, whatever produced it.
const TOKEN_IN_TEXT = /\d{5,20}:[A-Za-z0-9_-]{30,}/g;
const PLACEHOLDER = "<redacted>";

/** Replaces the given secrets and anything shaped like a bot token with a placeholder. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join(PLACEHOLDER);
  }
  return out.replace(TOKEN_IN_TEXT, PLACEHOLDER);
}

/**
 * Scrubs an error in place (message, stack, and the same for its cause chain) and returns it, so its
 * class, code and errno stay what callers test for.
 */
export function scrubError<T>(err: T, secrets: readonly string[] = [], depth = 0): T {
  if (!(err instanceof Error) || depth > 5) return err;
  const fields = err as unknown as Record<string, unknown>;
  for (const key of ["message", "stack"] as const) {
    const value = fields[key];
    if (typeof value === "string") {
      try { fields[key] = redactSecrets(value, secrets); } catch { /* a read-only field stays as it is */ }
    }
  }
  // node-fetch and undici keep the failing address or the underlying error beside the message.
  for (const key of ["cause", "error"]) scrubError(fields[key], secrets, depth + 1);
  return err;
}


/**
 * Makes standard output and standard error redact the secrets, for every writer in the process:
 * libraries that print through console (the grammY runner's fetch errors), crash handlers, the CLI.
 */
export function redactProcessOutput(secrets: readonly string[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const write = (chunk: unknown, ...rest: unknown[]): boolean => {
      if (typeof chunk === "string") return original(redactSecrets(chunk, secrets), ...rest);
      if (!(chunk instanceof Uint8Array)) return original(chunk, ...rest);
      // latin1 maps bytes one to one, so binary output passes unchanged unless it holds a token.
      const bytes = Buffer.from(chunk).toString("latin1");
      const clean = redactSecrets(bytes, secrets);
      return original(clean === bytes ? chunk : Buffer.from(clean, "latin1"), ...rest);
    };
    stream.write = write;
  }
}
