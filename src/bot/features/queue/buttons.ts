import { defineButton } from "../../callback-data/button.js";

/** /queue: refresh (for everyone who sees it), and the controls of those who publish. */
export const QUEUE_BUTTONS = {
  refresh: defineButton("q", "l", "queue"),
  pause: defineButton("q", "P", "publish"),
  resume: defineButton("q", "R", "publish"),
  retryFailed: defineButton("q", "F", "publish"),
  toFront: defineButton("q", "t", "publish", { jobId: "id" }),
  cancel: defineButton("q", "x", "publish", { jobId: "id" }),
  /** An upload that may have been sent: send it again, or record it as sent. */
  resend: defineButton("q", "rs", "publish", { jobId: "id" }),
  markSent: defineButton("q", "ms", "publish", { jobId: "id" }),
} as const;
