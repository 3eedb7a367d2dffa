import { InlineKeyboard } from "grammy";
import { encodeCallback } from "../callback-data/codec.js";

export const AUDIENCE_FEATURE = "cataud";

/** One button per audience; the callback carries the list position, never the label. */
export function createAudienceKeyboard(audiences: readonly string[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  audiences.forEach((audience, i) => {
    keyboard.text(audience, encodeCallback(AUDIENCE_FEATURE, "pick", i));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard;
}
