import type { ViewMessage } from "../public-types.js";

/**
 * Renders a chat like a screenshot in text, oldest first:
 *
 *   alice: /start
 *   bot: Welcome!
 *     [Search] [Help]
 */
export function renderTranscript(messages: readonly ViewMessage[], userLabel: string): string {
  return messages.map((message) => renderMessage(message, message.from === "bot" ? "bot" : userLabel)).join("\n");
}

/** One message as the chat shows it; `markEdited: false` leaves out the "(edited)" mark. */
export function renderMessage(message: ViewMessage, label: string, options: { markEdited?: boolean } = {}): string {
  const parts: string[] = [];
  if (message.forwardedFrom !== undefined) parts.push(`(forwarded from ${message.forwardedFrom.chatId}/${message.forwardedFrom.messageId})`);
  if (message.media !== undefined) parts.push(renderMedia(message));
  const body = message.text ?? message.caption;
  if (body !== undefined) parts.push(body);
  if (message.edited === true && options.markEdited !== false) parts.push("(edited)");
  const indent = " ".repeat(label.length + 2);
  const lines = [`${label}: ${parts.join(" ").split("\n").join(`\n${indent}`)}`];
  for (const row of message.buttons) {
    if (row.length > 0) lines.push(`  ${row.map((text) => `[${text}]`).join(" ")}`);
  }
  return lines.join("\n");
}

function renderMedia(message: ViewMessage): string {
  const media = message.media;
  if (media === undefined) return "";
  const details = [media.kind, media.fileName, media.duration > 0 ? `${media.duration}s` : undefined];
  return `[${details.filter((d) => d !== undefined).join(" ")}]`;
}
