import { defineButton } from "../../callback-data/button.js";

/** The tag library behind /tags: pages, one tag, and its rename. */
export const TAG_BUTTONS = {
  page: defineButton("t", "p", "tag", { page: "id" }),
  open: defineButton("t", "o", "tag", { tagId: "id", page: "id?" }),
  rename: defineButton("t", "r", "tag", { tagId: "id" }),
} as const;
