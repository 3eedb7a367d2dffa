import { defineButton } from "../../callback-data/button.js";

/** A preview's answers, by their index in the `answer` button's data. */
export const PREVIEW_CHOICES = ["apply", "none", "cancel"] as const;

/** Sync folders (/sync) and the answers to a run's preview (`choice` indexes PREVIEW_CHOICES). */
export const SYNC_BUTTONS = {
  list: defineButton("y", "l", "sync", { page: "id?" }),
  add: defineButton("y", "a", "sync"),
  forget: defineButton("y", "f", "sync", { folderId: "id" }),
  run: defineButton("y", "r", "sync", { folderId: "id" }),
  answer: defineButton("y", "g", "sync", { runId: "id", choice: "id" }),
} as const;
