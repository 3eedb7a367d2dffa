import { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { encodeCallback } from "../callback-data/codec.js";

export const SYNC = "y";

/** The answers to a sync preview: move the removals to the trash (when within the cap), only copy, or drop it. */
export function syncPreviewButtons(runId: number, canApply: boolean): InlineKeyboardMarkup {
  const keyboard = new InlineKeyboard();
  if (canApply) keyboard.text("🗑 Copy, and move removals to the trash", encodeCallback(SYNC, "g", runId, "a")).row();
  keyboard.text("📥 Only copy", encodeCallback(SYNC, "g", runId, "n")).text("✖ Cancel", encodeCallback(SYNC, "g", runId, "x"));
  return keyboard;
}
