import { badRequest } from "../api-error.js";
import { getString, isJsonObject, type Json } from "../json.js";
import { messageJson } from "../state/api-objects.js";
import type { MediaKind } from "../state/records.js";
import type { MethodContext } from "./context.js";
import { captionOf, postMessage } from "./post.js";
import { mediaFromParams } from "./send.js";
import { requireWritableChat } from "./targets.js";

// audio and the like are stored as documents: the emulator models three media kinds
const KINDS: Record<string, MediaKind> = { video: "video", photo: "photo", document: "document", audio: "document" };

/** An album: 2-10 media, each with its own caption; answers the array of sent messages. */
export function sendMediaGroup(ctx: MethodContext): Json {
  const items = Array.isArray(ctx.params.media) ? ctx.params.media.filter(isJsonObject) : [];
  if (items.length < 2 || items.length > 10) throw badRequest("wrong number of media in the album: must be 2-10");
  const chat = requireWritableChat(ctx);
  const prepared = items.map((item) => {
    const kind = KINDS[getString(item, "type") ?? ""] ?? "document";
    const caption = captionOf({ ...ctx, params: item });
    return { media: mediaFromParams(ctx, kind, getString(item, "media") ?? "", item), caption };
  });
  return prepared.map(({ media, caption }) =>
    messageJson(postMessage(ctx, chat, { media, caption: caption?.text, entities: caption?.entities ?? [] }), ctx.core),
  );
}
