import { badRequest, TEXTS } from "../api-error.js";
import { getString, isJsonObject, type Json } from "../json.js";
import type { BotCommandEntry } from "../state/commands.js";

export const MAX_COMMANDS = 100;

/** setMyCommands rules from the BotCommand docs: 1-32 of [a-z0-9_], description 1-256 characters. */
export function checkCommands(value: Json | undefined): BotCommandEntry[] {
  const list = Array.isArray(value) ? value.filter(isJsonObject) : [];
  if (list.length > MAX_COMMANDS) throw badRequest(TEXTS.commandsTooMuch);
  return list.map((item) => {
    const command = getString(item, "command") ?? "";
    const description = getString(item, "description") ?? "";
    if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest(TEXTS.commandInvalid);
    if (description.trim().length === 0 || description.length > 256) throw badRequest(TEXTS.commandDescriptionInvalid);
    return { command, description };
  });
}
