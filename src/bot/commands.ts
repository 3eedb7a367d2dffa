import type { BotCommand } from "grammy/types";

/** Every command the bot understands, in the order shown in Telegram's menu and in /help; each feature declares what its commands need. */
export const COMMANDS: readonly BotCommand[] = [
  { command: "start", description: "What vidlib does" },
  { command: "help", description: "Commands and how to use them" },
  { command: "search", description: "Find videos by name, tag or category (or just send words)" },
  { command: "tags", description: "All tags: rename or merge them" },
  { command: "categories", description: "Categories: create, rename, delete" },
  { command: "undo", description: "Undo your last bulk edit" },
  { command: "abbreviations", description: "Search abbreviations such as adv = advanced" },
  { command: "queue", description: "Upload queue: pause, retry, cancel, reorder, decide" },
  { command: "channels", description: "Channels: add one, choose which category posts where" },
  { command: "audit", description: "Who did what, when; filters and CSV export" },
  { command: "convert", description: "Conversions to MP4: progress, cancel, retry failed" },
  { command: "dupes", description: "Duplicate .ts/.mp4 pairs and exact copies: review and clean up" },
  { command: "trash", description: "Restore files moved to the trash (clean-up, sync) or the archive" },
  { command: "settings", description: "Auto-convert, auto-publish, caption template, trash days" },
  { command: "scan", description: "Scan the library folders now" },
  { command: "sync", description: "Sync folders: mirror a source folder into the library" },
  { command: "exports", description: "HLS exports for the web player: progress, whole categories" },
  { command: "status", description: "Library totals: videos, hours, size, categories" },
  { command: "users", description: "Who may use vidlib, and with which role" },
  { command: "stats", description: "Searches, choices, posts per channel, library growth" },
  { command: "workers", description: "The processes that convert and export: what each runs now" },
  { command: "newcategory", description: "Create a category and choose its audience" },
  { command: "cancel", description: "Stop the current dialogue" },
];
