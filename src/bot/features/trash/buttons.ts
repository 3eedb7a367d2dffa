import { defineButton } from "../../callback-data/button.js";
import { DUPES_PREFIX } from "../dupes/buttons.js";

/**
 * The trash's buttons live under the clean-up prefix ("d"), as they always have (buttons shown in chats
 * keep working). `source` is an index in TRASH_SOURCES; `undo` is the ↩ Undo on a cleaned-up pair (its move id).
 */
export const TRASH_BUTTONS = {
  restore: defineButton(DUPES_PREFIX, "R", "delete", { source: "id", entryId: "id" }),
  page: defineButton(DUPES_PREFIX, "P", "delete", { page: "id" }),
  undo: defineButton(DUPES_PREFIX, "u", "delete", { moveId: "id" }),
} as const;
