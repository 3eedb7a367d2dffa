import { defineButton } from "../../callback-data/button.js";

/** The audit trail: `savedId` is the filter saved with the chat's searches; `beforeId` the oldest entry shown (0 when left out). */
export const AUDIT_BUTTONS = {
  older: defineButton("au", "p", "audit", { savedId: "id", beforeId: "id?" }),
  csv: defineButton("au", "x", "audit", { savedId: "id" }),
} as const;
