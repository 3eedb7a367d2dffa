import Bottleneck from "bottleneck";
import { Api, type ApiClientOptions, type Transformer } from "grammy";
import type { Logger } from "../logging/logger.js";
import { telegramClientOptions, type TelegramEndpoint } from "./api-client.js";
import { TelegramMessageGuard } from "./message-guard.js";
import { htmlByDefault } from "./parse-mode.js";
import { DEFAULT_RETRY, retryFailures, type RetryBounds } from "./retry.js";

export interface TelegramClientsOptions {
  readonly endpoint: TelegramEndpoint;
  readonly logger: Logger;
  /** Telegram allows a bot about 30 requests a second, whichever client of the process makes them. */
  readonly requestsPerSecond?: number;
  readonly retry?: RetryBounds;
}

/** What a client is for: `retry: false` for calls whose caller has retry rules of its own (channel uploads). */
export interface ClientOptions extends Omit<ApiClientOptions, "apiRoot" | "fetch"> {
  readonly retry?: boolean;
}

/** Long polls wait for updates, they do not send: they never queue behind a burst of replies. */
const UNTHROTTLED = new Set(["getUpdates"]);

/**
 * The one place that sets up the Bot API clients of a process (the bot's, the channel poster's, the
 * notifiers'), built once per process and token. Each client gets, from the network outwards:
 * - the token-safe fetch (api-client.ts);
 * - one throttle shared by every client of the token, so their requests together stay under the limit;
 * - unless told otherwise, bounded retries of 429s and transient failures (retry.ts);
 * - the shared message guard (limits, edits that change nothing);
 * - parse mode HTML by default (parse-mode.ts), outermost, so the guard measures text as Telegram will.
 */
export class TelegramClients {
  readonly guard: TelegramMessageGuard;
  /** Shared by every client this factory makes. */
  readonly limiter: Bottleneck;
  private readonly retry: Transformer;

  constructor(private readonly options: TelegramClientsOptions) {
    this.guard = new TelegramMessageGuard(options.logger);
    this.limiter = new Bottleneck({ minTime: Math.ceil(1000 / (options.requestsPerSecond ?? 30)) });
    this.retry = retryFailures(options.retry ?? DEFAULT_RETRY);
  }

  /** The options for a client grammY builds itself (`new Bot(token, { client })`); call `install` on its `api` next. */
  clientOptions(extra: Omit<ClientOptions, "retry"> = {}): ApiClientOptions {
    return telegramClientOptions(this.options.endpoint, extra);
  }

  /** Puts the shared transformers on a client this factory's options built; returns it. */
  install(api: Api, retry = true): Api {
    api.config.use(this.throttle);
    if (retry) api.config.use(this.retry);
    this.guard.install(api);
    api.config.use(htmlByDefault);
    return api;
  }

  /** A new client for this token. */
  api(options: ClientOptions = {}): Api {
    const { retry = true, ...extra } = options;
    return this.install(new Api(this.options.endpoint.token, this.clientOptions(extra)), retry);
  }

  private readonly throttle: Transformer = (prev, method, payload, signal) =>
    UNTHROTTLED.has(method) ? prev(method, payload, signal) : this.limiter.schedule(() => prev(method, payload, signal));
}
