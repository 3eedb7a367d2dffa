import type { AuditEvent } from "../../entities/audit-event.js";

/** What /audit narrows the trail to; every part is optional. */
export interface AuditFilter {
  readonly videoId?: number;
  /** A Telegram user id, or a worker's name (scanner, uploader…). */
  readonly actor?: string;
  /** A channel's chat id: events about the channel, and posts and failures in it. */
  readonly channel?: number;
  /** An action or its prefix: "upload" matches upload.sent, upload.failed… */
  readonly action?: string;
  /** Inclusive, as epoch milliseconds (from: the day's start; to: the day's end, UTC). */
  readonly from?: number;
  readonly to?: number;
}

export type ParsedFilter = { readonly ok: true; readonly filter: AuditFilter } | { readonly ok: false; readonly problem: string };

export const AUDIT_FILTER_HELP = "Filters: video:ID user:ID (or a worker such as uploader) channel:-100… action:upload (a prefix) from:2026-11-01 to:2026-11-30";

const DAY_MS = 86_400_000;

function day(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** Parses "/audit video:12 action:upload from:2026-11-01"; an unknown or malformed part is refused with why. */
export function parseAuditFilter(text: string): ParsedFilter {
  const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
  for (const part of text.trim().split(/\s+/u).filter((p) => p !== "")) {
    const cut = part.indexOf(":");
    const key = cut < 0 ? "" : part.slice(0, cut).toLowerCase();
    const value = cut < 0 ? "" : part.slice(cut + 1);
    const bad = (what: string): ParsedFilter => ({ ok: false, problem: `“${part}”: ${what}. ${AUDIT_FILTER_HELP}` });
    switch (key) {
      case "video": if (!/^\d{1,12}$/u.test(value)) return bad("a video is its number"); filter.videoId = Number(value); break;
      case "user": if (!/^[\w.-]{1,40}$/u.test(value)) return bad("a user is a Telegram id or a worker name"); filter.actor = value; break;
      case "channel": if (!/^-?\d{1,20}$/u.test(value)) return bad("a channel is its id, such as -1001234567890"); filter.channel = Number(value); break;
      case "action": if (!/^[a-z_.]{1,40}$/u.test(value)) return bad("an action looks like upload.sent or upload"); filter.action = value; break;
      case "from": case "to": {
        const at = day(value);
        if (at === null) return bad("a date is written 2026-11-20");
        if (key === "from") filter.from = at; else filter.to = at + DAY_MS - 1;
        break;
      }
      default: return bad("unknown filter");
    }
  }
  return { ok: true, filter };
}

/** The filter as a person would type it again. */
export function describeFilter(filter: AuditFilter): string {
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return [
    filter.videoId === undefined ? null : `video:${filter.videoId}`, filter.actor === undefined ? null : `user:${filter.actor}`,
    filter.channel === undefined ? null : `channel:${filter.channel}`, filter.action === undefined ? null : `action:${filter.action}`,
    filter.from === undefined ? null : `from:${iso(filter.from)}`, filter.to === undefined ? null : `to:${iso(filter.to)}`,
  ].filter((p) => p !== null).join(" ");
}

const CSV_COLUMNS = ["id", "time_utc", "actor_kind", "actor_id", "action", "target_type", "target_id", "before", "after"] as const;

/** One CSV field: quoted when needed; a leading = + - @ is neutralised so spreadsheets do not run it as a formula. */
export function csvField(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/u.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/** The events as CSV (RFC 4180, CRLF line ends, with a header row). */
export function auditCsv(events: readonly AuditEvent[]): string {
  const rows = events.map((e) => [e.id, new Date(e.at).toISOString(), e.actorKind, e.actorId, e.action, e.targetType, e.targetId, e.before, e.after].map(csvField).join(","));
  return [CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}
