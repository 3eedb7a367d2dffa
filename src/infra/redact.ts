// Bot tokens show up in request URLs (grammY's HttpError text embeds them), so every line that
// leaves the process is scrubbed here, whatever produced it.
const TOKEN_IN_TEXT = /\d{5,20}:[A-Za-z0-9_-]{30,}/g;

/** Replaces the given secrets and anything shaped like a bot token with a placeholder. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join("<redacted>");
  }
  return out.replace(TOKEN_IN_TEXT, "<redacted>");
}
