import { defineButton } from "../../callback-data/button.js";

/** The unreadable-and-missing list behind /status and a scan's summary: `open` starts it in a new message, `page` turns it in place. */
export const LIBRARY_BUTTONS = {
  open: defineButton("lib", "l", "browse", { page: "id" }),
  page: defineButton("lib", "p", "browse", { page: "id" }),
} as const;
