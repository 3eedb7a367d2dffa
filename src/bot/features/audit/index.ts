import { Composer, InputFile } from "grammy";
import type { BotContext } from "../../context.js";
import { defineFeature } from "../../feature.js";
import { onButton } from "../../callback-data/on-button.js";
import { escapeHtml } from "../../format.js";
import { auditCsv, describeFilter, parseAuditFilter, type AuditFilter } from "../../../services/audit/audit-filter.js";
import type { ChatStateService } from "../../../services/chat/chat-state.js";
import { actorOf, EXPIRED, send, showInPlace, who } from "../../views/respond.js";
import { AUDIT_BUTTONS } from "./buttons.js";
import { PAGE, pageView } from "./views.js";

const EXPORT_LIMIT = 100_000;
// Saved with the chat's searches so the filter's id, not the filter, travels in the buttons.
const SAVED_PREFIX = "audit ";

/** The filter a button's saved id stands for, or null when it is gone or not an audit filter (the menu is stale). */
async function savedFilter(chat: ChatStateService, ctx: BotContext, savedId: number): Promise<AuditFilter | null> {
  const saved = await chat.search(savedId, who(ctx).chatId);
  const parsed = saved?.query.startsWith(SAVED_PREFIX) === true ? parseAuditFilter(saved.query.slice(SAVED_PREFIX.length)) : null;
  return parsed?.ok === true ? parsed.filter : null;
}

/** /audit: who did what, when, filtered; older pages and a CSV of everything that matches. */
export const auditFeature = defineFeature({
  name: "audit",
  uses: ["audit", "chat"],
  commands: { audit: "audit" },
  buttons: Object.values(AUDIT_BUTTONS),
  prompts: [],
  create({ audit, chat }) {
    const composer = new Composer<BotContext>();
    const page = async (ctx: BotContext, savedId: number, filter: AuditFilter, beforeId: number | null) =>
      pageView(await audit.query(actorOf(ctx), filter, beforeId, PAGE), savedId, filter, beforeId);

    composer.command("audit", async (ctx) => {
      const parsed = parseAuditFilter(ctx.match);
      if (!parsed.ok) {
        await ctx.reply(escapeHtml(parsed.problem));
        return;
      }
      const savedId = await chat.saveSearch(who(ctx).chatId, SAVED_PREFIX + describeFilter(parsed.filter));
      await send(ctx, await page(ctx, savedId, parsed.filter, null));
    });
    onButton(composer, AUDIT_BUTTONS.older, async (ctx, { savedId, beforeId = 0 }) => {
      const filter = await savedFilter(chat, ctx, savedId);
      if (filter === null) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await ctx.answerCallbackQuery();
      await showInPlace(ctx, await page(ctx, savedId, filter, beforeId));
    });
    onButton(composer, AUDIT_BUTTONS.csv, async (ctx, { savedId }) => {
      const filter = await savedFilter(chat, ctx, savedId);
      if (filter === null) return void (await ctx.answerCallbackQuery({ text: EXPIRED }));
      await ctx.answerCallbackQuery({ text: "Preparing the CSV…" });
      const events = await audit.query(actorOf(ctx), filter, null, EXPORT_LIMIT);
      const stamp = new Date().toISOString().slice(0, 10);
      const described = describeFilter(filter);
      await ctx.replyWithDocument(new InputFile(Buffer.from(auditCsv(events), "utf8"), `vidlib-audit-${stamp}.csv`), {
        caption: escapeHtml(`${events.length} entries${described === "" ? "" : ` (${described})`}${events.length === EXPORT_LIMIT ? `; the newest ${EXPORT_LIMIT} only, narrow the dates for older ones` : ""}.`),
      });
    });
    return composer;
  },
});
