import { defineButton } from "../../callback-data/button.js";

/** /channels: the list, adding one (and choosing its audience), one channel, and which category posts where. */
export const CHANNEL_BUTTONS = {
  // A page left out (`ch:l`, `ch:m`) is the first page, as buttons already shown in chats may carry it.
  list: defineButton("ch", "l", "channels", { page: "id?" }),
  // The trailing 0 of `ch:n:0` is kept so that buttons already shown in chats still work.
  add: defineButton("ch", "n", "channels", { legacy: "id?" }),
  /** The audience at this position in the pending question's list. */
  audience: defineButton("ch", "a", "channels", { index: "id" }),
  open: defineButton("ch", "o", "channels", { channelId: "id" }),
  remove: defineButton("ch", "r", "channels", { channelId: "id" }),
  mapping: defineButton("ch", "m", "channels", { page: "id?" }),
  /** The channels a category may post to, a page at a time. */
  category: defineButton("ch", "g", "channels", { categoryId: "id", page: "id?" }),
  /** Where a category posts; channel 0 is none. */
  assign: defineButton("ch", "s", "channels", { categoryId: "id", channelId: "id" }),
} as const;
