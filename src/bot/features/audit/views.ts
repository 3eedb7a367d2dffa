import { InlineKeyboard } from "grammy";
import { MESSAGE_LIMIT, telegramLength } from "../../../infra/telegram/limits.js";
import type { AuditEvent } from "../../../entities/audit-event.js";
import { escapeHtml } from "../../format.js";
import { AUDIT_FILTER_HELP, describeFilter, type AuditFilter } from "../../../services/audit/audit-filter.js";
import type { View } from "../../views/view.js";
import { AUDIT_BUTTONS } from "./buttons.js";

export const PAGE = 15;

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

/** One page of entries (up to PAGE, fewer when long details would not fit one message), with Older and the CSV export. */
export function pageView(events: readonly AuditEvent[], savedId: number, filter: AuditFilter, beforeId: number | null): View {
  const described = describeFilter(filter);
  const keyboard = new InlineKeyboard();
  const header = `🧾 <b>Audit trail</b>${described === "" ? "" : ` — ${escapeHtml(described)}`}${beforeId === null ? ", newest first" : ", older entries"}`;
  const render = (n: number): string => [header, ...(events.length === 0 ? ["No entries match."] : events.slice(0, n).map(eventLine)),
    ...(n < events.length ? [`… and ${events.length - n} more: ⬅ Older shows them`] : []), "", escapeHtml(AUDIT_FILTER_HELP)].join("\n");
  // Long details can make a page too long for one message: the entries that do not fit start the next page.
  let shown = events.length;
  while (shown > 1 && telegramLength(render(shown)) > MESSAGE_LIMIT) shown--;
  const oldest = events[shown - 1];
  if ((events.length === PAGE || shown < events.length) && oldest !== undefined) keyboard.text("⬅ Older", AUDIT_BUTTONS.older.pack({ savedId, beforeId: oldest.id }));
  keyboard.text("📄 Export CSV", AUDIT_BUTTONS.csv.pack({ savedId }));
  return { text: render(shown), keyboard };
}
