import { GrammyError, type Api } from "grammy";
import type { BotCommand } from "grammy/types";
import type { Role } from "../entities/user.js";
import type { Logger } from "../infra/logging/logger.js";
import { can } from "../services/people/permissions.js";
import type { ActionCatalogue } from "./actions.js";
import { COMMANDS } from "./commands.js";

/**
 * Telegram's command menu and /help per role, from what each feature declares a command needs: everyone
 * sees the viewer's commands by default; a person with a higher role gets a menu of their own (scope:
 * their chat), so no one is offered what they cannot use.
 */
export class CommandMenu {
  constructor(private readonly actions: ActionCatalogue) {
    const listed = new Set(COMMANDS.map((c) => c.command));
    const declared = [...actions.allCommands().keys()];
    const unlisted = declared.filter((c) => !listed.has(c));
    const unanswered = [...listed].filter((c) => actions.commandNeeds(c) === null);
    if (unlisted.length > 0 || unanswered.length > 0) {
      throw new Error(`the command menu and the features disagree: not in the menu ${unlisted.join(", ") || "-"}; answered by no feature ${unanswered.join(", ") || "-"}`);
    }
  }

  /** The commands a role may use, in the menu's order. */
  for(role: Role): BotCommand[] {
    return COMMANDS.filter((c) => {
      const needs = this.actions.commandNeeds(c.command);
      return needs === "anyone" || (needs !== null && can(role, needs));
    });
  }

  /** Sets one person's menu (or drops it back to the default). */
  async set(api: Api, chatId: number, role: Role | null, logger: Logger): Promise<void> {
    try {
      if (role === null || role === "viewer") await api.deleteMyCommands({ scope: { type: "chat", chat_id: chatId } });
      else await api.setMyCommands(this.for(role), { scope: { type: "chat", chat_id: chatId } });
    } catch (error) {
      // Someone who has not started the bot has no chat yet; /help still lists their commands.
      if (!(error instanceof GrammyError)) throw error;
      logger.info({ chatId, description: error.description }, "could not set a person's command menu");
    }
  }

  /** The default menu, then one for each owner and person with a role above viewer. */
  async setAll(api: Api, people: readonly { id: number; role: Role | null }[], logger: Logger): Promise<void> {
    await api.setMyCommands(this.for("viewer"));
    for (const person of people) if (person.role !== null && person.role !== "viewer") await this.set(api, person.id, person.role, logger);
  }
}
