import { sortEntities, type Entity } from "./entity.js";

// Telegram never detects entities inside these
const OPAQUE = new Set(["code", "pre", "text_link", "text_mention", "custom_emoji", "date_time"]);

const DETECTORS: ReadonlyArray<{ type: string; pattern: RegExp; accept?: (match: string) => boolean }> = [
  // tdlib: /(?<!\b|[\/<>])\/([a-zA-Z0-9_]{1,64})(?:@([a-zA-Z0-9_]{3,32}))?(?!\B|[\/<>])/
  { type: "bot_command", pattern: /(?<![\p{L}\p{N}_/<>])\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\p{L}\p{N}_/<>])/gu },
  { type: "mention", pattern: /(?<![\p{L}\p{N}_])@[a-zA-Z0-9_]{4,32}(?![\p{L}\p{N}_])/gu },
  {
    type: "hashtag",
    pattern: /(?<![\p{L}\p{N}_])#[\p{L}\p{N}_]{1,256}(?![\p{L}\p{N}_]*#)/gu,
    accept: (match) => /\p{L}/u.test(match),
  },
  { type: "url", pattern: /\b(?:https?|tg):\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/gi },
];

/**
 * Adds the entities Telegram detects by itself (commands, mentions, hashtags,
 * links with a scheme). Bare domains, e-mails, phone numbers and cashtags are
 * not detected by the emulator.
 */
export function withAutoEntities(text: string, entities: readonly Entity[]): Entity[] {
  const result = [...entities];
  const blocked = entities.filter((entity) => OPAQUE.has(entity.type));
  for (const detector of DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      const offset = match.index;
      const length = match[0].length;
      if (detector.accept !== undefined && !detector.accept(match[0])) continue;
      const overlaps = (e: Entity): boolean => offset < e.offset + e.length && e.offset < offset + length;
      if (blocked.some(overlaps) || result.some((e) => !OPAQUE.has(e.type) && isAuto(e) && overlaps(e))) continue;
      result.push({ type: detector.type, offset, length });
    }
  }
  return sortEntities(result);
}

function isAuto(entity: Entity): boolean {
  return DETECTORS.some((detector) => detector.type === entity.type);
}
