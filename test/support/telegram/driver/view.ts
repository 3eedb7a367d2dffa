import { getObject, getString, isJsonObject, type Json } from "../json.js";
import type { ViewButton, ViewMedia, ViewMessage } from "../public-types.js";
import type { StoredMedia, StoredMessage } from "../state/records.js";

/** A stored message as a person sees it; absent things are omitted, not undefined. */
export function toView(message: StoredMessage): ViewMessage {
  const keyboard = keyboardOf(message.replyMarkup);
  const origin = message.forwardOrigin;
  const originChat = origin === undefined ? undefined : getObject(origin, "chat");
  const originId = origin?.message_id;
  return {
    id: message.id,
    from: message.sender.kind === "bot" ? "bot" : "user",
    ...(message.text === undefined ? {} : { text: message.text }),
    ...(message.caption === undefined ? {} : { caption: message.caption }),
    ...(message.entities.length === 0 ? {} : { entities: message.entities }),
    ...(message.media === undefined ? {} : { media: mediaView(message.media) }),
    buttons: keyboard.map((row) => row.map((button) => button.text)),
    ...(keyboard.length === 0 ? {} : { keyboard }),
    ...(message.editDate === undefined ? {} : { edited: true as const }),
    ...(typeof originChat?.id === "number" && typeof originId === "number"
      ? { forwardedFrom: { chatId: originChat.id, messageId: originId } }
      : {}),
    ...(message.replyToId === undefined ? {} : { replyToId: message.replyToId }),
  };
}

function mediaView(media: StoredMedia): ViewMedia {
  const file = media.file;
  return {
    kind: media.kind,
    fileId: file.fileId,
    fileUniqueId: file.fileUniqueId,
    ...(file.fileName === undefined ? {} : { fileName: file.fileName }),
    ...(file.mimeType === undefined ? {} : { mimeType: file.mimeType }),
    size: file.size,
    width: media.width,
    height: media.height,
    duration: media.duration,
    supportsStreaming: media.supportsStreaming,
    hasThumbnail: media.thumbnail !== undefined,
  };
}

export function keyboardOf(markup: Json | undefined): ViewButton[][] {
  if (!isJsonObject(markup) || !Array.isArray(markup.inline_keyboard)) return [];
  return markup.inline_keyboard.map((row) =>
    Array.isArray(row)
      ? row.filter(isJsonObject).map((button) => {
          const data = getString(button, "callback_data");
          const url = getString(button, "url");
          return { text: getString(button, "text") ?? "", ...(data === undefined ? {} : { callbackData: data }), ...(url === undefined ? {} : { url }) };
        })
      : [],
  );
}
