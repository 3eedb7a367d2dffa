import { MESSAGE_LIMIT, telegramLength } from "../../infra/telegram/limits.js";
import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { BotContext } from "../context.js";
import type { AuditEvent } from "../../entities/audit-event.js";
import { encodeCallback } from "../callback-data/codec.js";
import { escapeHtml } from "../format.js";
import { AUDIT_FILTER_HELP, auditCsv, describeFilter, parseAuditFilter, type AuditFilter } from "../../services/audit-filter.js";
import { EXPIRED, pressed, send, showInPlace, who, actorOf } from "../views/respond.js";
import type { View } from "../views/view.js";

export const AUDIT = "au";
const PAGE = 15;
const EXPORT_LIMIT = 100_000;
// Saved with the chat's searches so the filter's id, not the filter, travels in the buttons.
const SAVED_PREFIX = "audit ";

export const auditFeature = new Composer<BotContext>();

function short(json: string | null, max: number): string {
  if (json === null) return "—";
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

function eventLine(e: AuditEvent): string {
  const when = new Date(e.at).toISOString().slice(0, 16).replace("T", " ");
  const target = e.targetType === null ? "" : ` ${e.targetType} ${e.targetId ?? ""}`;
  const change = e.before === null && e.after === null ? "" : `: ${short(e.before, 60)} → ${short(e.after, 140)}`;
  return `• ${escapeHtml(`${when} ${e.actorKind === "user" ? `user ${e.actorId}` : e.actorId} ${e.action}${target}${change}`)}`;
}

async function pageView(ctx: BotContext, savedId: number, filter: AuditFilter, beforeId: number | null): Promise<View> {
  const events = await ctx.deps.services.audit.query(actorOf(ctx), filter, beforeId, PAGE);
  const described = describeFilter(filter);
  const keyboard = new InlineKeyboard();
  const header = `🧾 <b>Audit trail</b>${described === "" ? "" : ` — ${escapeHtml(described)}`}${beforeId === null ? ", newest first" : ", older entries"}`;
  const render = (n: number): string => [header, ...(events.length === 0 ? ["No entries match."] : events.slice(0, n).map(eventLine)),
    ...(n < events.length ? [`… and ${events.length - n} more: ⬅ Older shows them`] : []), "", escapeHtml(AUDIT_FILTER_HELP)].join("\n");
  // Long details can make a page too long for one message: the entries that do not fit start the next page.
  let shown = events.length;
  while (shown > 1 && telegramLength(render(shown)) > MESSAGE_LIMIT) shown--;
  const oldest = events[shown - 1];
  if ((events.length === PAGE || shown < events.length) && oldest !== undefined) keyboard.text("⬅ Older", encodeCallback(AUDIT, "p", savedId, oldest.id));
  keyboard.text("📄 Export CSV", encodeCallback(AUDIT, "x", savedId));
  return { text: render(shown), keyboard };
}

auditFeature.command("audit", async (ctx) => {
  const parsed = parseAuditFilter(ctx.match);
  if (!parsed.ok) {
    await ctx.reply(escapeHtml(parsed.problem), { parse_mode: "HTML" });
    return;
  }
  const savedId = await ctx.deps.services.chat.saveSearch(who(ctx).chatId, SAVED_PREFIX + describeFilter(parsed.filter));
  await send(ctx, await pageView(ctx, savedId, parsed.filter, null));
});

auditFeature.callbackQuery(/^au:/, async (ctx) => {
  const button = pressed(ctx, AUDIT);
  const [savedId = 0, beforeId = 0] = button?.ids ?? [];
  const saved = await ctx.deps.services.chat.search(savedId, who(ctx).chatId);
  const parsed = saved?.query.startsWith(SAVED_PREFIX) === true ? parseAuditFilter(saved.query.slice(SAVED_PREFIX.length)) : null;
  if (button === null || parsed?.ok !== true) {
    await ctx.answerCallbackQuery({ text: EXPIRED });
    return;
  }
  if (button.data.verb === "p") {
    await ctx.answerCallbackQuery();
    await showInPlace(ctx, await pageView(ctx, savedId, parsed.filter, beforeId));
    return;
  }
  await ctx.answerCallbackQuery({ text: "Preparing the CSV…" });
  const events = await ctx.deps.services.audit.query(actorOf(ctx), parsed.filter, null, EXPORT_LIMIT);
  const stamp = new Date().toISOString().slice(0, 10);
  const described = describeFilter(parsed.filter);
  await ctx.replyWithDocument(new InputFile(Buffer.from(auditCsv(events), "utf8"), `vidlib-audit-${stamp}.csv`), {
    caption: escapeHtml(`${events.length} entries${described === "" ? "" : ` (${described})`}${events.length === EXPORT_LIMIT ? `; the newest ${EXPORT_LIMIT} only, narrow the dates for older ones` : ""}.`),
    parse_mode: "HTML",
  });
});
