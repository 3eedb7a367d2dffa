import type { InlineKeyboard } from "grammy";

/** A message the bot shows: HTML text and its buttons. */
export interface View {
  readonly text: string;
  readonly keyboard: InlineKeyboard;
}

/** A button label: Telegram shows about 40 characters of one. */
export const label = (text: string, max = 40): string => ([...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text);
