export { TelegramEmulator, type UserSpec } from "./emulator.js";
export { EmulatedUser, type InlineAnswerView, type PressAnswer, type UserMediaOptions, type WaitOptions } from "./driver/user.js";
export { EmulatedChannel, type BotRights, type ChannelSpec, type PostContent } from "./driver/channel.js";
export { renderMessage, renderTranscript } from "./driver/transcript.js";
export type { ChatLog } from "./driver/chat-log.js";
export type { FaultHandle, FaultInjector, FaultSpec } from "./faults.js";
export { DOWNLOAD_LIMITS, MIB, UPLOAD_LIMITS, type EmulatorOptions, type Profile, type RateLimits } from "./options.js";
export type {
  ChatActionRecord,
  ErrorRecord,
  RequestRecord,
  ViewButton,
  ViewMedia,
  ViewMessage,
  Violation,
} from "./public-types.js";
export type { Entity, FormattedText } from "./format/entity.js";
export type { Json, JsonObject } from "./json.js";
export type { BotIdentity } from "./state/api-objects.js";
export type { BotCommandEntry } from "./state/commands.js";
export type { BotChannelStatus, MemberStatus } from "./state/records.js";
export { IMPLEMENTED_METHODS } from "./methods/registry.js";
export { TEXTS as TELEGRAM_ERROR_TEXTS } from "./api-error.js";
export { parseHtml } from "./format/html.js";
export { parseMarkdownV2 } from "./format/markdown-v2.js";
export { loadApiSchema, locateSchemaFile } from "./schema/load-schema.js";
export { checkValue } from "./schema/validate-value.js";
export type { ApiSchema, SchemaField, SchemaMethod, SchemaType } from "./schema/model.js";
