import { GrammyError, HttpError, type Api } from "grammy";
import type { ChannelDirectory, ChannelInspection } from "../../services/publish/ports.js";

const HOW_TO = "Open the channel → Administrators → Add administrator → choose the bot, allow “Post messages” (and “Edit” and “Delete” for caption updates), then try again.";

/** Asks Telegram what a channel is and whether the bot may post in it. */
export class TelegramChannelDirectory implements ChannelDirectory {
  private readonly botId: number;
  private username: string | null = null;

  constructor(private readonly api: Api, token: string) {
    this.botId = Number(token.split(":")[0]);
  }

  async inspect(ref: number | string): Promise<ChannelInspection> {
    let bot = "the bot";
    try {
      this.username ??= (await this.api.getMe()).username;
      bot = `@${this.username}`;
      const chat = await this.api.getChat(ref);
      if (chat.type !== "channel") return { ok: false, problem: `That is a ${chat.type} chat, not a channel. vidlib posts only to channels.` };
      const title = chat.title;
      const username = "username" in chat && typeof chat.username === "string" ? chat.username : null;
      // A bot that is only a member may not read the member list: Telegram's refusal means "not an administrator".
      const member = await this.api.getChatMember(chat.id, this.botId).catch((error: unknown) => {
        if (error instanceof GrammyError && (error.error_code === 403 || /member list is inaccessible/iu.test(error.description))) return null;
        throw error;
      });
      if (member === null) return { ok: false, problem: `${bot} is not an administrator of ${title}. ${HOW_TO}` };
      if (member.status !== "administrator") return { ok: false, problem: `${bot} is not an administrator of ${title}. ${HOW_TO}` };
      if (member.can_post_messages !== true) return { ok: false, problem: `${bot} is an administrator of ${title} but may not post messages. ${HOW_TO}` };
      return { ok: true, chatId: chat.id, title, username };
    } catch (error) {
      if (error instanceof GrammyError) {
        if (/chat not found/iu.test(error.description)) {
          return { ok: false, problem: `Telegram does not show me that channel. Add ${bot} to it as an administrator first; for a private channel, forward one of its posts here instead of its name. ${HOW_TO}` };
        }
        if (error.error_code === 403 || /member list is inaccessible/iu.test(error.description)) return { ok: false, problem: `${bot} is not an administrator of that channel. ${HOW_TO}` };
        return { ok: false, problem: `Telegram refused: ${error.description}` };
      }
      if (error instanceof HttpError) return { ok: false, problem: "Telegram could not be reached; try again in a moment." };
      throw error;
    }
  }
}
