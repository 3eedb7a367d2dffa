const UNITS: readonly [number, string][] = [[86_400_000, "day"], [3_600_000, "hour"], [60_000, "minute"], [1000, "second"]];

/** A past moment as people say it: "just now", "1 minute ago", "34 minutes ago", "3 days ago". */
export function timeAgo(then: number, now: number): string {
  const ms = now - then;
  if (ms < 1000) return "just now";
  for (const [size, name] of UNITS) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** A coming span as people say it: "in 1 day", "in 29 days", "in 3 hours". */
export function timeUntil(then: number, now: number): string {
  const ms = then - now;
  if (ms < 60_000) return "in a moment";
  for (const [size, name] of UNITS) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `in ${n} ${name}${n === 1 ? "" : "s"}`;
  }
  return "in a moment";
}
