import { GrammyError, type Api } from "grammy";
import type { Role } from "../entities/user.js";
import type { Logger } from "../infra/logger.js";
import { commandsFor } from "./commands.js";

/**
 * Telegram's command menu per person: everyone sees the viewer's commands by default; a person with a
 * higher role gets a menu of their own (scope: their chat), so no one is offered what they cannot use.
 */
export async function setCommandMenu(api: Api, chatId: number, role: Role | null, logger: Logger): Promise<void> {
  try {
    if (role === null || role === "viewer") await api.deleteMyCommands({ scope: { type: "chat", chat_id: chatId } });
    else await api.setMyCommands(commandsFor(role), { scope: { type: "chat", chat_id: chatId } });
  } catch (error) {
    // Someone who has not started the bot has no chat yet; /help still lists their commands.
    if (!(error instanceof GrammyError)) throw error;
    logger.info({ chatId, description: error.description }, "could not set a person's command menu");
  }
}

/** The default menu, then one for each owner and person with a role above viewer. */
export async function setCommandMenus(api: Api, people: readonly { id: number; role: Role | null }[], logger: Logger): Promise<void> {
  await api.setMyCommands(commandsFor("viewer"));
  for (const person of people) if (person.role !== null && person.role !== "viewer") await setCommandMenu(api, person.id, person.role, logger);
}
