/** 12345 → "12,345". */
export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

/** 1 → "1 video", 2 → "2 videos" (counts formatted as formatCount does). */
export const countOf = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Seconds → "1:02:03" or "2:03". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Bytes → "1.2 GB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** 1 → "1 file", 2 → "2 files" (the plural form given when adding "s" is wrong). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${Math.round(n) === 1 ? one : many}`;
}

const SPANS: readonly (readonly [seconds: number, unit: string])[] = [[86_400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];

/** Seconds → "5 seconds", "1 minute 2 seconds", "3 hours 4 minutes", "2 days 1 hour": the two largest units. */
export function formatSpan(totalSeconds: number): string {
  let left = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [size, unit] of SPANS) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0 || (parts.length > 0 && parts.length < 2)) parts.push(plural(n, unit));
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith("0 "));
  return shown.length === 0 ? "0 seconds" : shown.join(" ");
}

/** How long ago, for people: "just now", "1 second ago", "34 minutes ago", "2 hours ago", "3 days ago". */
export function formatAgo(seconds: number): string {
  if (seconds < 1) return "just now";
  for (const [size, unit] of SPANS) {
    if (seconds >= size) return `${plural(Math.floor(seconds / size), unit)} ago`;
  }
  return "just now";
}
