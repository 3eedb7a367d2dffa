import { defineButton } from "../../callback-data/button.js";

/** Under a draft in the review chat (and beside it in /queue): approve it for its channel, or reject it with a reason. */
export const REVIEW_BUTTONS = {
  approve: defineButton("r", "a", "publish", { jobId: "id" }),
  reject: defineButton("r", "x", "publish", { jobId: "id" }),
} as const;
