import type { JsonObject } from "./json.js";

/**
 * "violation": a correct bot never causes it (schema breach, limit exceeded);
 * "error": a correct bot can legitimately run into it (stale message, blocked user);
 * "injected": a fault the test asked for, recorded nowhere but in `requests`.
 */
export type ErrorKind = "violation" | "error" | "injected";

/** A Bot API failure, answered as `{ok:false,error_code,description,parameters?}`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly kind: ErrorKind,
    readonly parameters?: JsonObject,
  ) {
    super(description);
    this.name = "ApiError";
  }
}

export function badRequest(text: string, kind: ErrorKind = "violation"): ApiError {
  return new ApiError(400, `Bad Request: ${text}`, kind);
}

export function forbidden(text: string): ApiError {
  return new ApiError(403, `Forbidden: ${text}`, "error");
}

/** Telegram's own wording, kept in one place so tests and handlers agree. */
export const TEXTS = {
  unauthorized: "Unauthorized",
  methodNotFound: "Not Found: method not found",
  notFound: "Not Found",
  textEmpty: "message text is empty",
  textTooLong: "message is too long",
  captionTooLong: "message caption is too long",
  // answerCallbackQuery's text (0-200 characters); Telegram's own wording for this one.
  callbackAnswerTooLong: "MESSAGE_TOO_LONG",
  notModified:
    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
  chatNotFound: "chat not found",
  userNotFound: "user not found",
  editNotFound: "message to edit not found",
  deleteNotFound: "message to delete not found",
  copyNotFound: "message to copy not found",
  forwardNotFound: "message to forward not found",
  replyNotFound: "message to be replied not found",
  cantEdit: "message can't be edited",
  noTextToEdit: "there is no text in the message to edit",
  noCaptionToEdit: "there is no caption in the message to edit",
  queryTooOld: "query is too old and response timeout expired or query ID is invalid",
  notChannelMember: "bot is not a member of the channel chat",
  needAdminRights: "need administrator rights in the channel chat",
  memberListInaccessible: "member list is inaccessible",
  blockedByUser: "bot was blocked by the user",
  kickedFromChannel: "bot was kicked from the channel chat",
  identifierMissing: "message identifier is not specified",
  wrongAction: "wrong parameter action in request",
  commandInvalid: "BOT_COMMAND_INVALID",
  commandDescriptionInvalid: "BOT_COMMAND_DESCRIPTION_INVALID",
  commandsTooMuch: "BOTS_TOO_MUCH",
  invalidFileId: "invalid file_id",
  buttonDataInvalid: "BUTTON_DATA_INVALID",
  replyMarkupTooLong: "reply markup is too long",
  textButtonsUnallowed: "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
  resultsTooMuch: "RESULTS_TOO_MUCH",
  nextOffsetInvalid: "NEXT_OFFSET_INVALID",
  resultIdInvalid: "RESULT_ID_INVALID",
  resultIdDuplicate: "RESULT_ID_DUPLICATE",
  wrongFileId: "wrong file identifier/HTTP URL specified",
  fileNotFound: "file not found",
  fileTooBig: "file is too big",
  entityTooLarge: "Request Entity Too Large",
  getUpdatesConflict:
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
  webhookConflict: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  parseEntities: "can't parse entities: ",
} as const;
