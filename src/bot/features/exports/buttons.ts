import { defineButton } from "../../callback-data/button.js";

/** HLS exports: the list of categories, one video, one whole category. */
export const EXPORT_BUTTONS = {
  page: defineButton("hx", "l", "export", { page: "id" }),
  video: defineButton("hx", "v", "export", { videoId: "id" }),
  category: defineButton("hx", "c", "export", { categoryId: "id" }),
} as const;
