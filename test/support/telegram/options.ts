import { randomBytes } from "node:crypto";
import { HANG_GUARD_MS } from "../patience.js";

/**
 * "cloud" behaves like api.telegram.org, "local" like a telegram-bot-api
 * server started with --local (bigger uploads, file:// paths).
 */
export type Profile = "cloud" | "local";

export interface RateLimits {
  /** Messages the bot may send into one chat per minute (Telegram: about 20 in groups). */
  readonly perChatPerMinute?: number;
  /** Messages the bot may send in total per second (Telegram: about 30). */
  readonly globalPerSecond?: number;
}

export interface EmulatorOptions {
  readonly profile?: Profile;
  /** Default: `<botId>:<35 random characters>`. */
  readonly token?: string;
  readonly botId?: number;
  readonly botUsername?: string;
  readonly botName?: string;
  readonly supportsInlineQueries?: boolean;
  /** Off by default; when set, over-limit sends get 429 with a computed retry_after. */
  readonly rateLimits?: RateLimits;
  /** Reject a bare "&" in HTML text (Telegram keeps it; the docs say it must be escaped). Default true. */
  readonly strictHtmlAmpersand?: boolean;
  /** Timeout of the driver's waits (waitForBotMessage, press, inline …). Default 60 s: a hang guard, since every wait ends on its event. */
  readonly defaultTimeoutMs?: number;
  /** Overrides the profile's upload limit, in bytes. */
  readonly uploadLimitBytes?: number;
  /** Uploads up to this size are kept in memory so getFile downloads work. Default 1 MiB. */
  readonly keepUploadBytes?: number;
  readonly host?: string;
  readonly port?: number;
}

/**
 * Telegram documents "50 MB" (cloud) and "2000 MB" (local server); we read
 * both as binary megabytes (MiB), the generous interpretation, so a bot that
 * respects the limit in either reading never gets a false 413.
 */
export const MIB = 1024 * 1024;
export const UPLOAD_LIMITS: Record<Profile, number> = { cloud: 50 * MIB, local: 2000 * MIB };
/** getFile refuses files above 20 MB on the cloud server; the local server has no such limit. */
export const DOWNLOAD_LIMITS: Record<Profile, number> = { cloud: 20 * MIB, local: Number.POSITIVE_INFINITY };

export interface ResolvedOptions {
  readonly profile: Profile;
  readonly token: string;
  readonly botId: number;
  readonly botUsername: string;
  readonly botName: string;
  readonly supportsInlineQueries: boolean;
  readonly rateLimits?: RateLimits;
  readonly strictHtmlAmpersand: boolean;
  readonly defaultTimeoutMs: number;
  readonly uploadLimitBytes: number;
  readonly keepUploadBytes: number;
  readonly host: string;
  readonly port: number;
}

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const profile = options.profile ?? "cloud";
  const botId = options.botId ?? botIdFromToken(options.token) ?? 7_000_000_000 + Math.floor(Math.random() * 1e8);
  return {
    profile,
    token: options.token ?? `${botId}:${randomBytes(27).toString("base64url").slice(0, 35)}`,
    botId,
    botUsername: options.botUsername ?? "emulated_test_bot",
    botName: options.botName ?? "Test Bot",
    supportsInlineQueries: options.supportsInlineQueries ?? true,
    rateLimits: options.rateLimits,
    strictHtmlAmpersand: options.strictHtmlAmpersand ?? true,
    // A hang guard, not a time budget: the same bound as every other wait of the tests.
    defaultTimeoutMs: options.defaultTimeoutMs ?? HANG_GUARD_MS,
    uploadLimitBytes: options.uploadLimitBytes ?? UPLOAD_LIMITS[profile],
    keepUploadBytes: options.keepUploadBytes ?? MIB,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
  };
}

function botIdFromToken(token: string | undefined): number | undefined {
  const id = token === undefined ? undefined : /^(\d+):/.exec(token)?.[1];
  return id === undefined ? undefined : Number(id);
}
