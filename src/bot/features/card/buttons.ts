import { defineButton } from "../../callback-data/button.js";

/** A video's card (`v:<verb>:<videoId>…`) and its panels: tags, category, history, conversion and upload. */
export const CARD_BUTTONS = {
  // `videoId` is the video to open: the MP4 made from the card's video, or a search result.
  open: defineButton("v", "o", "browse", { videoId: "id" }),
  back: defineButton("v", "c", "browse", { videoId: "id" }),
  history: defineButton("v", "h", "history", { videoId: "id" }),
  tags: defineButton("v", "t", "tag", { videoId: "id" }),
  tagsDone: defineButton("v", "d", "tag", { videoId: "id" }),
  removeTag: defineButton("v", "x", "tag", { videoId: "id", tagId: "id" }),
  addTag: defineButton("v", "a", "tag", { videoId: "id", tagId: "id" }),
  // `word` is the position of a word in the file name (nameWords).
  addWord: defineButton("v", "w", "tag", { videoId: "id", word: "id" }),
  // `index` is the position of a typed name in the pending tags question.
  addTyped: defineButton("v", "n", "tag", { videoId: "id", index: "id" }),
  category: defineButton("v", "g", "categorise", { videoId: "id", page: "id?" }),
  // `categoryId` 0 is "no category".
  setCategory: defineButton("v", "k", "categorise", { videoId: "id", categoryId: "id" }),
  convert: defineButton("v", "cv", "convert", { videoId: "id" }),
  cancelConversion: defineButton("v", "cx", "convert", { videoId: "id", jobId: "id" }),
  send: defineButton("v", "pu", "queue", { videoId: "id" }),
  sendAgain: defineButton("v", "pf", "publish", { videoId: "id" }),
  cancelUpload: defineButton("v", "px", "queue", { videoId: "id", uploadId: "id" }),
} as const;
