import { autoRetry } from "@grammyjs/auto-retry";
import { HttpError, type Transformer } from "grammy";

/** How far a call is retried: bounded, so that a stop is never held for long behind a retry. */
export interface RetryBounds {
  /** Attempts after the first, for a 429 and for a transient failure alike. */
  readonly maxRetryAttempts: number;
  /** A 429 asking for a longer wait is not retried: the caller hears of it at once. */
  readonly maxDelaySeconds: number;
  /** The wait before the first retry of a transient failure; it doubles for each next one. */
  readonly firstBackoffMs: number;
}

/** At most 3 × 10 s behind a 429, and 1 s + 2 s behind transient failures. */
export const DEFAULT_RETRY: RetryBounds = { maxRetryAttempts: 2, maxDelaySeconds: 10, firstBackoffMs: 1000 };

/**
 * Long polls are never retried here: the runner has its own backoff and logs each failure
 * (logPollingFailures), and a retry under it would hold the poll it is about to abandon.
 */
const NEVER_RETRIED = new Set(["getUpdates"]);

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A timeout may come after Telegram did the work and, at grammY's default, after minutes: not worth repeating. */
function timedOut(error: HttpError): boolean {
  const inner = error.error instanceof Error ? error.error : null;
  return inner?.name === "AbortError" || /timed? ?out/iu.test(inner?.message ?? "");
}

/**
 * Repeats a call that failed on the way (an error page from a gateway, a 5xx, a connection refused or
 * reset), waiting `firstBackoffMs`, then twice that, and so on. auto-retry could do this too, but its
 * network retries ignore maxRetryAttempts (they go on for ever, backing off up to an hour) and its
 * 5xx backoff starts at 3 s and waits once more after the last attempt.
 */
function retryTransient(bounds: RetryBounds): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= bounds.maxRetryAttempts;
      try {
        const response = await prev(method, payload, signal);
        if (response.ok || response.error_code < 500 || last) return response;
      } catch (error) {
        if (!(error instanceof HttpError) || timedOut(error) || signal?.aborted === true || last) throw error;
      }
      await pause(bounds.firstBackoffMs * 2 ** attempt);
    }
  };
}

/**
 * Retries a 429 after Telegram's retry_after (through @grammyjs/auto-retry) and transient failures
 * (see retryTransient), both bounded; never getUpdates. Each attempt goes through the transformers
 * installed before this one (the throttle), so a retry waits its turn like any request.
 */
export function retryFailures(bounds: RetryBounds = DEFAULT_RETRY): Transformer {
  const rateLimits = autoRetry({
    maxRetryAttempts: bounds.maxRetryAttempts,
    maxDelaySeconds: bounds.maxDelaySeconds,
    rethrowInternalServerErrors: true,
    rethrowHttpErrors: true,
  });
  const transient = retryTransient(bounds);
  return (prev, method, payload, signal) => {
    if (NEVER_RETRIED.has(method)) return prev(method, payload, signal);
    return transient((m, p, s) => rateLimits(prev, m, p, s), method, payload, signal);
  };
}
