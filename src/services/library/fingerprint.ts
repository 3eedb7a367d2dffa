/** The content fingerprint: size, head-and-tail hash, and duration in milliseconds ("-" when unknown). */
export function fingerprintOf(size: number, headTail: string, durationS: number | null): string {
  return `${size}:${headTail}:${durationS === null ? "-" : Math.round(durationS * 1000)}`;
}
