import type { BotCommand } from "grammy/types";

/** Every command the bot understands, in the order shown in Telegram's menu and in /help. */
export const COMMANDS: readonly BotCommand[] = [
  { command: "start", description: "What vidlib does" },
  { command: "help", description: "Commands and how to use them" },
  { command: "scan", description: "Scan the library folders now" },
  { command: "status", description: "Library totals: videos, hours, size, categories" },
  { command: "newcategory", description: "Create a category and choose its audience" },
  { command: "categories", description: "List the categories" },
  { command: "cancel", description: "Stop the current dialogue" },
];
