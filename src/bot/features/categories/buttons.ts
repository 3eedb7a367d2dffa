import { defineButton } from "../../callback-data/button.js";

/** /categories: the list (a page at a time), one category, and what can be done to it. */
export const CATEGORY_BUTTONS = {
  list: defineButton("c", "l", "categories", { page: "id" }),
  open: defineButton("c", "o", "categories", { categoryId: "id" }),
  // Buttons drawn before this button was declared carry a meaningless 0; it is still accepted.
  create: defineButton("c", "n", "categories", { unused: "id?" }),
  rename: defineButton("c", "r", "categories", { categoryId: "id" }),
  review: defineButton("c", "v", "categories", { categoryId: "id" }),
  delete: defineButton("c", "d", "categories", { categoryId: "id", page: "id?" }),
  confirmDelete: defineButton("c", "D", "categories", { categoryId: "id" }),
  /** Deletes a category after moving its videos to `target` (0: no category). */
  moveAndDelete: defineButton("c", "m", "categories", { categoryId: "id", target: "id" }),
} as const;

/** The audience question of the /newcategory dialogue: a position in the list it offered, never the label. */
export const AUDIENCE_BUTTONS = {
  pick: defineButton("cataud", "pick", "categories", { index: "id" }),
} as const;
