/**
 * When to retry a failed request, and after how long. Pure: the caller supplies the clock and the
 * random source. Facts: ../../shared/atlassian-api.md §5.
 *
 * - 429 and 503 with `Retry-After` (seconds or an HTTP-date): wait exactly that long, never less —
 *   "You can retry the request after this delay, but not before"; retrying early "will fail and
 *   return the same or longer Retry-After period" (§5).
 * - 429 without `Retry-After` but with `X-RateLimit-Reset` (ISO 8601 `yyyy-MM-ddTHH:mmZ`, "the
 *   request time plus Retry-After", §5, §10: point-based limits send "Retry-After and/or
 *   X-RateLimit-Reset"): wait until then. A time without seconds may have been cut to the minute,
 *   so it is read as the end of that minute — never retry early — and the wait is never shorter
 *   than the backoff.
 * - A wait longer than `maxRetryAfterMs` (one minute) is not shortened: waiting less would just
 *   earn another 429 (§5), and the 2026 quota window is an hour long (§10). The request gives up
 *   with the time Atlassian named (`waitMs`), and the sync pauses until then (issue 8, item 5).
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
  /** Longest rate-limit wait sat through in a request; longer ones end the retries (the sync pauses). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

export interface RetryInput {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** HTTP status, or null when there was no response. */
  status: number | null;
  /** The `Retry-After` response header, verbatim. */
  retryAfterHeader: string | null;
  /** The `X-RateLimit-Reset` response header, verbatim (used on 429 without Retry-After). */
  rateLimitResetHeader?: string | null;
  networkError: boolean;
  /** Epoch ms, to resolve an HTTP-date `Retry-After`. Defaults to `Date.now()`. */
  nowMs?: number;
}

export type RetryGiveUpReason = 'not-retryable' | 'attempts-exhausted' | 'retry-after-too-long';

export type RetryDecision =
  | { retry: true; delayMs: number }
  /** `waitMs`: for `retry-after-too-long`, how long Atlassian asked to wait. */
  | { retry: false; reason: RetryGiveUpReason; waitMs?: number };

/** §5: retry on 429 (honour Retry-After), 408, 500, 502, 503, 504 and network errors. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** §5: statuses whose `Retry-After` we honour ("Some transient 5XX … 503 … handle them the same"). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export function isRetryable(status: number | null, networkError: boolean): boolean {
  return networkError || (status !== null && RETRYABLE_STATUSES.has(status));
}

export function decideRetry(input: RetryInput, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!isRetryable(input.status, input.networkError)) return { retry: false, reason: 'not-retryable' };
  const nowMs = input.nowMs ?? Date.now();
  const backoff = () => backoffDelay(input.attempt, policy, random);

  if (input.status !== null && RETRY_AFTER_STATUSES.has(input.status)) {
    const retryAfter = input.retryAfterHeader !== null ? parseRetryAfter(input.retryAfterHeader, nowMs) : null;
    const reset = retryAfter === null && input.status === 429 && input.rateLimitResetHeader ? parseRateLimitReset(input.rateLimitResetHeader, nowMs) : null;
    const waitMs = retryAfter ?? reset;
    if (waitMs !== null && waitMs > policy.maxRetryAfterMs) return { retry: false, reason: 'retry-after-too-long', waitMs };
    if (input.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
    if (retryAfter !== null) return { retry: true, delayMs: retryAfter };
    if (reset !== null) return { retry: true, delayMs: Math.max(reset, backoff()) };
    return { retry: true, delayMs: backoff() };
  }
  if (input.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  return { retry: true, delayMs: backoff() };
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

/**
 * `X-RateLimit-Reset`: ISO 8601 `yyyy-MM-ddTHH:mmZ` (§5; seconds tolerated). Returns ms to wait
 * (≥ 0), or null when it is not such a timestamp. Without seconds the time is the minute the reset
 * falls in, so the wait runs to that minute's end: early retries "fail and return the same or
 * longer Retry-After period" (§5).
 */
export function parseRateLimitReset(header: string, nowMs: number): number | null {
  const value = header.trim();
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const end = m[1] === undefined ? at + 60_000 : at;
  return Math.max(0, end - nowMs);
}
