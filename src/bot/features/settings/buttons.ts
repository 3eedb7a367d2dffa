import { defineButton } from "../../callback-data/button.js";

/** /settings: each button changes one setting (to the value it carries) and shows the settings again. */
export const SETTINGS_BUTTONS = {
  autoConvert: defineButton("st", "a", "settings"),
  concurrency: defineButton("st", "c", "settings", { conversions: "id" }),
  /** A position in X264_PRESETS. */
  preset: defineButton("st", "p", "settings", { preset: "id" }),
  trashDays: defineButton("st", "t", "settings", { days: "id" }),
  syncDeletionCap: defineButton("st", "y", "settings", { files: "id" }),
  publishAuto: defineButton("st", "u", "settings"),
  captionTemplate: defineButton("st", "ct", "settings"),
  defaultCaptionTemplate: defineButton("st", "cd", "settings"),
  reviewChats: defineButton("st", "rv", "settings"),
  /** A registered channel's id, or 0 for the first owner's private chat. */
  reviewChat: defineButton("st", "rc", "settings", { channelId: "id" }),
  back: defineButton("st", "x", "settings"),
} as const;
