/**
 * When to retry a failed request, and after how long. Pure: the caller supplies the clock and the
 * random source. Facts: ../../shared/atlassian-api.md §5.
 *
 * - 429 and 503 with `Retry-After` (seconds or an HTTP-date): wait exactly that long, never less —
 *   "You can retry the request after this delay, but not before"; retrying early "will fail and
 *   return the same or longer Retry-After period" (§5).
 *   A `Retry-After` longer than `maxRetryAfterMs` (150 s, [baton]'s cap) is not shortened: waiting
 *   less would just earn another 429 (§5), and quota windows are an hour long. We give up instead,
 *   so the user gets a "try again later" error at once rather than after many futile minutes.
 * - 408, 500, 502, 504, network errors, and 429/503 without a usable `Retry-After`: exponential
 *   backoff ("double the delay after each successive 429 … up to a maximum", with jitter, §5),
 *   using equal jitter so each wait is at least half the nominal one and waits grow.
 * - `Beta-Retry-After` and other `Beta-*` headers are shadow headers and never waited on (§5); the
 *   caller passes only the real `Retry-After`.
 * - Everything else (400, 401, 403, 404, …) is not retried here.
 */

export interface RetryPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** Nominal delay before the 2nd attempt; doubles per attempt. */
  baseDelayMs: number;
  /** Cap on the nominal backoff delay. */
  maxDelayMs: number;
  /** Longest `Retry-After` we are willing to wait; longer ones end the retries. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 150_000,
};

export interface RetryInput {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** HTTP status, or null when there was no response. */
  status: number | null;
  /** The `Retry-After` response header, verbatim. */
  retryAfterHeader: string | null;
  networkError: boolean;
  /** Epoch ms, to resolve an HTTP-date `Retry-After`. Defaults to `Date.now()`. */
  nowMs?: number;
}

export type RetryGiveUpReason = 'not-retryable' | 'attempts-exhausted' | 'retry-after-too-long';

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: RetryGiveUpReason };

/** §5: retry on 429 (honour Retry-After), 408, 500, 502, 503, 504 and network errors. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** §5: statuses whose `Retry-After` we honour ("Some transient 5XX … 503 … handle them the same"). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export function isRetryable(status: number | null, networkError: boolean): boolean {
  return networkError || (status !== null && RETRYABLE_STATUSES.has(status));
}

export function decideRetry(input: RetryInput, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!isRetryable(input.status, input.networkError)) return { retry: false, reason: 'not-retryable' };
  if (input.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };

  if (input.status !== null && RETRY_AFTER_STATUSES.has(input.status) && input.retryAfterHeader !== null) {
    const waitMs = parseRetryAfter(input.retryAfterHeader, input.nowMs ?? Date.now());
    if (waitMs !== null) {
      if (waitMs > policy.maxRetryAfterMs) return { retry: false, reason: 'retry-after-too-long' };
      return { retry: true, delayMs: waitMs };
    }
  }
  return { retry: true, delayMs: backoffDelay(input.attempt, policy, random) };
}

/** Equal jitter: half the nominal delay, plus a random part of the other half. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const half = nominal / 2;
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(half + r * half);
}

/**
 * `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns ms to wait (≥ 0, a
 * date in the past means "now"), or null when unparseable. Fractional seconds are rounded up so
 * we never retry early.
 */
export function parseRetryAfter(header: string, nowMs: number): number | null {
  const value = header.trim();
  if (value === '') return null;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Only accept things that look like dates, so "-5" or "soon" are not parsed leniently by Date.
  if (!/[a-z]/i.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
