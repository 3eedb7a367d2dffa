import { defineButton } from "../../callback-data/button.js";

/** Offers about a video's posts (update its caption, move it to its new channel, leave it), and the same for all. */
export const POST_BUTTONS = {
  updateCaption: defineButton("p", "uc", "publish", { videoId: "id" }),
  move: defineButton("p", "mv", "publish", { videoId: "id" }),
  leave: defineButton("p", "no", "publish", { videoId: "id" }),
  // The trailing 0 of `p:ua:0` and `p:ma:0` is kept so that buttons already shown in chats still work.
  updateAllCaptions: defineButton("p", "ua", "publish", { legacy: "id?" }),
  moveAll: defineButton("p", "ma", "publish", { legacy: "id?" }),
} as const;
