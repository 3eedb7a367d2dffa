import type { InlineKeyboard } from "grammy";

/** A message the bot shows: HTML text and its buttons. */
export interface View {
  readonly text: string;
  readonly keyboard: InlineKeyboard;
}

/** A button label: Telegram shows about 40 characters of one. */
export const label = (text: string, max = 40): string => ([...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text);

/** At most `max` characters, shortened in the middle (whole characters), so that the start and the ending of a long name or path both show. */
export function shortenMiddle(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.ceil(max / 2) - 1).join("")}…${chars.slice(-Math.floor(max / 2)).join("")}`;
}
