import { encodeCallback } from "../callback-data/codec.js";
import type { Buttons } from "../../services/publish/ports.js";
import { label } from "./view.js";

export const REVIEW = "r";

/** The buttons under a draft in the review chat (and beside it in /queue). */
export function draftButtons(jobId: number, channelTitle: string): Buttons {
  return [[
    { text: label(`✅ Approve for ${channelTitle}`, 40), data: encodeCallback(REVIEW, "a", jobId) },
    { text: "❌ Reject", data: encodeCallback(REVIEW, "x", jobId) },
  ]];
}
