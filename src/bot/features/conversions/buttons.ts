import { defineButton } from "../../callback-data/button.js";

/** /convert: cancel one conversion, retry the failed ones, refresh. */
export const CONVERSION_BUTTONS = {
  cancel: defineButton("cv", "x", "convert", { jobId: "id" }),
  retryFailed: defineButton("cv", "r", "convert"),
  refresh: defineButton("cv", "f", "convert"),
} as const;
