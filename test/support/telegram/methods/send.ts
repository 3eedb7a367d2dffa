import { badRequest, TEXTS } from "../api-error.js";
import { formatText } from "../format/formatted-text.js";
import { checkMessageText } from "../limits/text.js";
import type { Json, JsonObject } from "../json.js";
import type { MediaKind, StoredMedia } from "../state/records.js";
import type { MethodContext, MethodHandler } from "./context.js";
import { resolveInputFile } from "./input-file.js";
import { captionOf, postAndAnswer } from "./post.js";
import { requireWritableChat, stringParam } from "./targets.js";

export function sendMessage(ctx: MethodContext): Json {
  const chat = requireWritableChat(ctx);
  const text = formatText(stringParam(ctx, "text") ?? "", ctx.params.parse_mode, ctx.params.entities, ctx.core.formatOptions());
  checkMessageText(text);
  return postAndAnswer(ctx, chat, { text: text.text, entities: text.entities });
}

const DEFAULT_SIZE: Record<MediaKind, [number, number]> = { video: [0, 0], photo: [1280, 720], document: [0, 0] };

/** sendVideo / sendPhoto / sendDocument: the file parameter has the media kind's name. */
export function sendMedia(kind: MediaKind): MethodHandler {
  return (ctx) => {
    const chat = requireWritableChat(ctx);
    const caption = captionOf(ctx);
    const media = mediaFromParams(ctx, kind, stringParam(ctx, kind) ?? "");
    return postAndAnswer(ctx, chat, { caption: caption?.text, entities: caption?.entities ?? [], media });
  };
}

export function mediaFromParams(ctx: MethodContext, kind: MediaKind, fileValue: string, source: JsonObject = ctx.params): StoredMedia {
  const file = resolveInputFile(ctx, fileValue, kind);
  const thumbnailValue = source.thumbnail;
  const thumbnail = typeof thumbnailValue === "string" ? resolveInputFile(ctx, thumbnailValue, "thumbnail") : undefined;
  const [width, height] = DEFAULT_SIZE[kind];
  const number = (key: string, fallback: number): number => {
    const value = source[key];
    return typeof value === "number" ? value : fallback;
  };
  return {
    kind,
    file,
    width: number("width", width),
    height: number("height", height),
    duration: number("duration", 0),
    supportsStreaming: source.supports_streaming === true,
    thumbnail,
  };
}

const ACTIONS = new Set([
  "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document",
  "choose_sticker", "find_location", "record_video_note", "upload_video_note",
]);

export function sendChatAction(ctx: MethodContext): Json {
  const action = stringParam(ctx, "action") ?? "";
  if (!ACTIONS.has(action)) throw badRequest(TEXTS.wrongAction);
  const chat = requireWritableChat(ctx);
  ctx.core.chatActions.push({ chatId: chat.id, action, at: Date.now() });
  return true;
}
