import { Composer } from "grammy";
import type { BotContext, BotServices } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { isCommand } from "../../prompts/define-prompt.js";
import { openCard } from "../../views/open-card.js";
import { EXPIRED, send, showInPlace, who } from "../../views/respond.js";
import { SEARCH_BUTTONS } from "./buttons.js";
import { PAGE_SIZE, resultsPage } from "./views.js";

type SearchServices = Pick<BotServices, "search" | "catalog" | "chat" | "stats">;

/** Runs a search typed by a person and sends the first page. */
async function runSearch(ctx: BotContext, services: SearchServices, query: string): Promise<void> {
  const { catalog, chat, search, stats } = services;
  const { chatId, userId } = who(ctx);
  const searchId = await chat.saveSearch(chatId, query);
  const outcome = await search.search(query, { limit: PAGE_SIZE, offset: 0 });
  // Searches that are words are recorded (with no result too: those are hints for tagging).
  const logId = outcome.ok ? await stats.recordSearch(userId, "chat", query, outcome.total) : 0;
  const view = await resultsPage(catalog, ctx.role, outcome, { searchId, query, page: 0, logId });
  if (typeof view === "string") await ctx.reply(view);
  else await send(ctx, view);
}

/** /search, or just words sent to the bot when no question waits for them: pages of results to open or edit in bulk. */
export const searchFeature = defineFeature({
  name: "search",
  uses: ["search", "catalog", "chat", "stats"],
  commands: { search: "browse" },
  buttons: Object.values(SEARCH_BUTTONS),
  prompts: [],
  create(services) {
    const { search, catalog, chat, stats } = services;
    const composer = new Composer<BotContext>();

    composer.command("search", async (ctx) => {
      const query = ctx.match.trim();
      if (query === "") {
        await ctx.reply("Send /search followed by words, for example <i>/search electrostatics lecture 4</i>. You can also just send the words.");
        return;
      }
      await runSearch(ctx, services, query);
    });

    onButton(composer, SEARCH_BUTTONS.open, async (ctx, { logId, videoId }) => {
      await stats.recordChoice(logId, who(ctx).userId, videoId);
      await ctx.answerCallbackQuery();
      await openCard(ctx, services, videoId);
    });

    onButton(composer, SEARCH_BUTTONS.page, async (ctx, { searchId, page, logId = 0 }) => {
      const saved = await chat.search(searchId, who(ctx).chatId);
      if (saved === null) {
        await ctx.answerCallbackQuery({ text: EXPIRED });
        return;
      }
      const outcome = await search.search(saved.query, { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
      const view = await resultsPage(catalog, ctx.role, outcome, { searchId: saved.id, query: saved.query, page, logId });
      await ctx.answerCallbackQuery(typeof view === "string" ? { text: "Nothing more to show — search again." } : {});
      if (typeof view !== "string") await showInPlace(ctx, view);
    });

    // A search button of a verb no longer drawn answers as the search always did.
    composer.callbackQuery(/^s:/u, async (ctx) => {
      await ctx.answerCallbackQuery({ text: EXPIRED });
    });

    // Plain text that no pending question takes is a search; a pending question's feature answers it instead.
    composer.chatType("private").on("message:text", async (ctx, next) => {
      const text = ctx.message.text;
      if (isCommand(text) || (await ctx.prompt.pending()) !== null) return next();
      await runSearch(ctx, services, text);
    });
    return composer;
  },
});
