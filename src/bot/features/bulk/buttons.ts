import { defineButton } from "../../callback-data/button.js";

/** Bulk edits of a search's results (`searchId` is a saved search); the `y…` verbs confirm. */
export const BULK_BUTTONS = {
  undo: defineButton("b", "z", "tag"),
  dismiss: defineButton("b", "n", "browse"),
  tag: defineButton("b", "t", "tag", { searchId: "id" }),
  confirmTag: defineButton("b", "yt", "tag", { searchId: "id" }),
  untag: defineButton("b", "u", "tag", { searchId: "id" }),
  untagOne: defineButton("b", "U", "tag", { searchId: "id", tagId: "id" }),
  confirmUntag: defineButton("b", "yu", "tag", { searchId: "id", tagId: "id" }),
  category: defineButton("b", "c", "categorise", { searchId: "id", page: "id?" }),
  categoryPick: defineButton("b", "C", "categorise", { searchId: "id", categoryId: "id" }),
  confirmCategory: defineButton("b", "yc", "categorise", { searchId: "id", categoryId: "id" }),
  convert: defineButton("b", "v", "convert", { searchId: "id" }),
  confirmConvert: defineButton("b", "yv", "convert", { searchId: "id" }),
  queue: defineButton("b", "pu", "queue", { searchId: "id" }),
  confirmQueue: defineButton("b", "ypu", "queue", { searchId: "id" }),
} as const;
