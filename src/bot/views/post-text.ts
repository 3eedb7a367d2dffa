import { escapeHtml } from "../format.js";
import type { PostText } from "../../services/publish/ports.js";

/** A post's text (a caption) as Telegram HTML, for showing it inside a chat message: its bold spans in <b>. */
export function postTextHtml(post: PostText): string {
  let out = "";
  let at = 0;
  for (const span of [...post.bold].sort((a, b) => a.offset - b.offset)) {
    if (span.offset < at) continue;
    out += escapeHtml(post.text.slice(at, span.offset)) + `<b>${escapeHtml(post.text.slice(span.offset, span.offset + span.length))}</b>`;
    at = span.offset + span.length;
  }
  return out + escapeHtml(post.text.slice(at));
}
