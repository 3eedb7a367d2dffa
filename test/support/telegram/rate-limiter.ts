import type { RateLimits } from "./options.js";

/** Methods that put a message somewhere and therefore count against Telegram's flood limits. */
export function isRateLimited(method: string): boolean {
  const lower = method.toLowerCase();
  if (lower === "sendchataction") return false;
  return lower.startsWith("send") || lower.startsWith("copymessage") || lower.startsWith("forwardmessage") || lower.startsWith("editmessage");
}

/** Sliding windows per chat (one minute) and globally (one second). */
export class RateLimiter {
  /** How many 429 answers the limiter has issued. */
  issued = 0;
  private readonly perChat = new Map<string, number[]>();
  private global: number[] = [];

  constructor(private readonly limits: RateLimits) {}

  /** Returns retry_after in seconds when over a limit; otherwise records the send. */
  check(chatKey: string, now = Date.now()): number | undefined {
    const chatWindow = (this.perChat.get(chatKey) ?? []).filter((t) => t > now - 60_000);
    this.global = this.global.filter((t) => t > now - 1000);
    const retry = Math.max(
      waitFor(chatWindow, this.limits.perChatPerMinute, 60_000, now),
      waitFor(this.global, this.limits.globalPerSecond, 1000, now),
    );
    this.perChat.set(chatKey, chatWindow);
    if (retry > 0) {
      this.issued++;
      return Math.max(1, Math.ceil(retry / 1000));
    }
    chatWindow.push(now);
    this.global.push(now);
    return undefined;
  }
}

/** Milliseconds until the window has room again (0 when it has room now). */
function waitFor(window: number[], limit: number | undefined, span: number, now: number): number {
  if (limit === undefined || window.length < limit) return 0;
  const oldest = window[window.length - limit] ?? now;
  return oldest + span - now;
}
