import type { Composer } from "grammy";
import type { BotContext } from "../../context.js";
import type { Button, ButtonValues } from "../../callback-data/button.js";
import { onButton, type ButtonContext } from "../../callback-data/on-button.js";
import type { ChatStateService } from "../../../services/chat/chat-state.js";
import type { CatalogService } from "../../../services/catalog/catalog-service.js";
import type { SearchService } from "../../../services/search/search-service.js";
import { formatCount } from "../../../services/shared/units.js";
import { EXPIRED, who } from "../../views/respond.js";
import { BULK_LIMIT, resultSet, tooMany, type ResultSet } from "./views.js";

/** Every bulk button but undo and cancel is about a saved search: its first field. */
type SearchFields = { readonly searchId: "id" } & Readonly<Record<string, "id" | "id?">>;

/** A bulk button's press, with the search's results as they are now and their count, formatted. */
export type ResultsHandler<F extends SearchFields> = (ctx: ButtonContext, values: ButtonValues<F>, set: ResultSet, n: string) => Promise<unknown>;
export type OnResults = <F extends SearchFields>(button: Button<F>, handler: ResultsHandler<F>) => void;

/**
 * Answers a bulk button: "this menu expired" when its search is gone (another chat's, or too old) or
 * matches nothing now; a refusal when it matches more than a bulk edit takes; else the handler.
 */
export function onResults(composer: Composer<BotContext>, services: { chat: ChatStateService; search: SearchService; catalog: CatalogService }): OnResults {
  return (button, handler) => {
    onButton(composer, button, async (ctx, values) => {
      const { searchId } = values as ButtonValues<SearchFields>;
      const saved = await services.chat.search(searchId, who(ctx).chatId);
      const set = saved === null ? null : await resultSet(services.search, services.catalog, saved);
      if (set === null) {
        await ctx.answerCallbackQuery({ text: EXPIRED });
        return;
      }
      await ctx.answerCallbackQuery();
      if (set.total > BULK_LIMIT) {
        await ctx.reply(tooMany(set.total));
        return;
      }
      await handler(ctx, values, set, formatCount(set.total));
    });
  };
}
