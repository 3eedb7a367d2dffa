import { defineButton } from "../../callback-data/button.js";

/** A typed search's results: open one (recording the choice for /stats), or turn the page. */
export const SEARCH_BUTTONS = {
  // `logId` is the search's analytics record.
  open: defineButton("s", "o", "browse", { logId: "id", videoId: "id" }),
  // `searchId` is the chat's saved search; `logId` 0 (or left out) means none was recorded.
  page: defineButton("s", "p", "browse", { searchId: "id", page: "id", logId: "id?" }),
} as const;
