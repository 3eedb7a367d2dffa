import { defineButton } from "../../callback-data/button.js";

/** The clean-up prefix; the trash's buttons share it (and so the permission to delete). */
export const DUPES_PREFIX = "d";

/** A duplicate pair (`pairId`) and what to do with its file A; `mode` 1 deletes, 2 archives every verified pair. */
export const DUPE_BUTTONS = {
  review: defineButton(DUPES_PREFIX, "r", "delete", { pairId: "id" }),
  next: defineButton(DUPES_PREFIX, "n", "delete", { pairId: "id" }),
  remove: defineButton(DUPES_PREFIX, "x", "delete", { pairId: "id" }),
  archive: defineButton(DUPES_PREFIX, "a", "delete", { pairId: "id" }),
  keep: defineButton(DUPES_PREFIX, "k", "delete", { pairId: "id" }),
  convert: defineButton(DUPES_PREFIX, "c", "delete", { pairId: "id" }),
  all: defineButton(DUPES_PREFIX, "A", "delete", { pairId: "id", mode: "id" }),
  confirmAll: defineButton(DUPES_PREFIX, "Y", "delete", { pairId: "id", mode: "id" }),
  cancelAll: defineButton(DUPES_PREFIX, "N", "delete", { pairId: "id" }),
} as const;
