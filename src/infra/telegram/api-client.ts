import fetch from "node-fetch";
import { Api, type ApiClientOptions, type Transformer } from "grammy";
import type { Logger } from "../logging/logger.js";
import { scrubError } from "../logging/redact.js";

export interface TelegramEndpoint {
  readonly token: string;
  readonly apiRoot: string;
}

type Fetch = NonNullable<ApiClientOptions["fetch"]>;
interface JsonResponse { json(): Promise<unknown> }
type LooseFetch = (...args: unknown[]) => Promise<JsonResponse>;

/**
 * grammY's own fetch (node-fetch), except that nothing it throws carries the token: node-fetch names
 * the request URL (`…/bot<token>/method`) in its errors, including "invalid json response body at …",
 * and grammY keeps that error inside HttpError, where any logger or console.error would print it.
 */
export function tokenSafeFetch(token: string, inner: LooseFetch = fetch as unknown as LooseFetch): Fetch {
  const guarded: LooseFetch = async (...args) => {
    let response: JsonResponse;
    try {
      response = await inner(...args);
    } catch (err) {
      throw scrubError(err, [token]);
    }
    const json = response.json.bind(response);
    response.json = () => json().catch((err: unknown) => { throw scrubError(err, [token]); });
    return response;
  };
  return guarded as unknown as Fetch;
}

/** The base of every Bot API client vidlib makes (TelegramClients adds the rest): the API root and the token-safe fetch. */
export function telegramClientOptions(endpoint: TelegramEndpoint, extra: Omit<ApiClientOptions, "apiRoot" | "fetch"> = {}): ApiClientOptions {
  return { ...extra, apiRoot: endpoint.apiRoot, fetch: tokenSafeFetch(endpoint.token) };
}

/** A bare Bot API client whose failures never reveal the token: for one-off probes (`vidlib doctor`); the app's clients come from TelegramClients. */
export function telegramApi(endpoint: TelegramEndpoint, extra: Omit<ApiClientOptions, "apiRoot" | "fetch"> = {}): Api {
  return new Api(endpoint.token, telegramClientOptions(endpoint, extra));
}

/**
 * Logs failed long polls through vidlib's logger (the runner, made silent, would print them to the
 * console); the runner still retries them with its backoff.
 */
export function logPollingFailures(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (err) {
      if (method === "getUpdates" && signal?.aborted !== true) logger.warn({ err }, "polling Telegram failed; retrying");
      throw err;
    }
  };
}
