import { timeAgo } from "../shared/time-ago.js";

/** The host and process id an owner name ("host:pid:random") records, or null for a name of another form. */
export function ownerParts(owner: string): { host: string; pid: number } | null {
  const match = /^(.*):(\d+):[^:]*$/u.exec(owner);
  if (match === null) return null;
  return { host: match[1] ?? "", pid: Number(match[2]) };
}

/** Who holds a run, for people: "process 4242 on media-pc, last heard from 12 seconds ago". */
export function ownerText(owner: string | null, heartbeatAt: number | null, now: number): string {
  const parts = owner === null ? null : ownerParts(owner);
  const who = parts === null ? (owner ?? "an unknown process") : `process ${parts.pid} on ${parts.host}`;
  return `${who}, last heard from ${heartbeatAt === null ? "never" : timeAgo(heartbeatAt, now)}`;
}
