import { describe, expect, it } from 'vitest';
import { backoffDelay, decideRetry, DEFAULT_RETRY_POLICY, parseRateLimitReset, parseRetryAfter, type RetryPolicy } from '../../../lib/atlassian/retry';

const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 150_000 };
const NOW = Date.parse('2026-03-02T10:00:00Z');
const input = (over: Partial<Parameters<typeof decideRetry>[0]>) => ({
  attempt: 1,
  status: 429 as number | null,
  retryAfterHeader: null as string | null,
  networkError: false,
  nowMs: NOW,
  ...over,
});
const mid = () => 0.5;

describe('decideRetry: Retry-After (§5)', () => {
  it.each([429, 503])('waits exactly Retry-After seconds on %i', (status) => {
    expect(decideRetry(input({ status, retryAfterHeader: '7' }), policy, mid)).toEqual({ retry: true, delayMs: 7000 });
  });

  it('rounds fractional seconds up, never retrying early', () => {
    expect(decideRetry(input({ retryAfterHeader: '1.2' }), policy, mid)).toEqual({ retry: true, delayMs: 1200 });
    expect(parseRetryAfter('0.0001', NOW)).toBe(1);
  });

  it('accepts an HTTP-date and waits until then', () => {
    const header = new Date(NOW + 42_000).toUTCString();
    expect(decideRetry(input({ retryAfterHeader: header }), policy, mid)).toEqual({ retry: true, delayMs: 42_000 });
  });

  it('treats an HTTP-date in the past as "now"', () => {
    expect(decideRetry(input({ retryAfterHeader: new Date(NOW - 5000).toUTCString() }), policy, mid)).toEqual({ retry: true, delayMs: 0 });
  });

  it('waits exactly the maximum, and gives up (rather than retrying early) beyond it', () => {
    expect(decideRetry(input({ retryAfterHeader: '150' }), policy, mid)).toEqual({ retry: true, delayMs: 150_000 });
    expect(decideRetry(input({ retryAfterHeader: '151' }), policy, mid)).toEqual({ retry: false, reason: 'retry-after-too-long', waitMs: 151_000 });
    expect(decideRetry(input({ retryAfterHeader: '3600' }), policy, mid)).toEqual({ retry: false, reason: 'retry-after-too-long', waitMs: 3_600_000 });
  });

  it('falls back to backoff when Retry-After is absent or unparseable', () => {
    expect(decideRetry(input({ retryAfterHeader: null }), policy, () => 0)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry(input({ retryAfterHeader: 'soon' }), policy, () => 0)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry(input({ retryAfterHeader: '-5' }), policy, () => 0)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry(input({ status: 503, retryAfterHeader: '' }), policy, () => 0)).toEqual({ retry: true, delayMs: 500 });
  });

  it('ignores Retry-After on statuses other than 429/503', () => {
    expect(decideRetry(input({ status: 500, retryAfterHeader: '60' }), policy, () => 1)).toEqual({ retry: true, delayMs: 1000 });
  });
});

describe('decideRetry: backoff', () => {
  it.each([408, 500, 502, 504])('retries %i with backoff', (status) => {
    expect(decideRetry(input({ status }), policy, mid)).toEqual({ retry: true, delayMs: 750 });
  });

  it('retries network errors', () => {
    expect(decideRetry(input({ status: null, networkError: true }), policy, mid)).toEqual({ retry: true, delayMs: 750 });
  });

  it('doubles the nominal delay per attempt, with equal jitter inside [half, full]', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const nominal = 1000 * 2 ** (attempt - 1);
      expect(backoffDelay(attempt, policy, () => 0)).toBe(nominal / 2);
      expect(backoffDelay(attempt, policy, () => 0.999999)).toBeLessThanOrEqual(nominal);
      expect(backoffDelay(attempt, policy, () => 0.999999)).toBeGreaterThan(nominal * 0.99);
    }
    // Growth even with worst-case jitter: the minimum of attempt n+1 ≥ the maximum of attempt n.
    expect(backoffDelay(3, policy, () => 0)).toBeGreaterThanOrEqual(backoffDelay(2, policy, () => 1));
  });

  it('caps the nominal delay at maxDelayMs', () => {
    expect(backoffDelay(20, policy, () => 1)).toBe(30_000);
    expect(backoffDelay(20, policy, () => 0)).toBe(15_000);
  });

  it('clamps a misbehaving random source into [0, 1]', () => {
    expect(backoffDelay(1, policy, () => 7)).toBe(1000);
    expect(backoffDelay(1, policy, () => -3)).toBe(500);
  });
});

describe('decideRetry: giving up', () => {
  it('stops after maxAttempts attempts in total', () => {
    expect(decideRetry(input({ attempt: 5, status: 500 }), policy, mid).retry).toBe(true);
    expect(decideRetry(input({ attempt: 6, status: 500 }), policy, mid)).toEqual({ retry: false, reason: 'attempts-exhausted' });
    expect(decideRetry(input({ attempt: 6, status: 429, retryAfterHeader: '1' }), policy, mid)).toEqual({ retry: false, reason: 'attempts-exhausted' });
  });

  it.each([400, 401, 403, 404, 410, 501])('does not retry %i', (status) => {
    expect(decideRetry(input({ status, retryAfterHeader: '1' }), policy, mid)).toEqual({ retry: false, reason: 'not-retryable' });
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(6);
    // Issue 8, item 5: "a wait longer than a minute pauses the run".
    expect(DEFAULT_RETRY_POLICY.maxRetryAfterMs).toBe(60_000);
  });
});

describe('decideRetry: X-RateLimit-Reset (§5, §10)', () => {
  const reset = (ms: number) => new Date(NOW + ms).toISOString().slice(0, 16) + 'Z'; // yyyy-MM-ddTHH:mmZ

  it('on a 429 without Retry-After, waits until the end of the X-RateLimit-Reset minute (never early)', () => {
    expect(decideRetry(input({ rateLimitResetHeader: reset(60_000) }), policy, mid)).toEqual({ retry: true, delayMs: 120_000 });
    expect(decideRetry(input({ rateLimitResetHeader: new Date(NOW + 20_000).toISOString() }), policy, mid)).toEqual({ retry: true, delayMs: 20_000 });
  });

  it('never waits less than the backoff', () => {
    expect(decideRetry(input({ rateLimitResetHeader: new Date(NOW - 5_000).toISOString() }), policy, mid)).toEqual({ retry: true, delayMs: 750 });
  });

  it('Retry-After wins over X-RateLimit-Reset', () => {
    expect(decideRetry(input({ retryAfterHeader: '3', rateLimitResetHeader: reset(120_000) }), policy, mid)).toEqual({ retry: true, delayMs: 3000 });
  });

  it('a reset beyond the maximum gives up with the wait Atlassian named', () => {
    expect(decideRetry(input({ rateLimitResetHeader: reset(3_600_000) }), { ...policy, maxRetryAfterMs: 60_000 }, mid)).toEqual({
      retry: false,
      reason: 'retry-after-too-long',
      waitMs: 3_660_000, // to the end of the named minute
    });
  });

  it('gives up on a long wait even on the last attempt, rather than calling the attempts exhausted', () => {
    expect(decideRetry(input({ attempt: 6, retryAfterHeader: '3600' }), policy, mid)).toEqual({ retry: false, reason: 'retry-after-too-long', waitMs: 3_600_000 });
  });

  it('is read only on 429, and only when it is an ISO timestamp', () => {
    expect(decideRetry(input({ status: 503, rateLimitResetHeader: reset(120_000) }), policy, mid)).toEqual({ retry: true, delayMs: 750 });
    expect(decideRetry(input({ rateLimitResetHeader: 'tomorrow' }), policy, mid)).toEqual({ retry: true, delayMs: 750 });
    expect(parseRateLimitReset('2026-03-02T10:05Z', NOW)).toBe(360_000);
    expect(parseRateLimitReset('2026-03-02T10:00:30Z', NOW)).toBe(30_000);
    expect(parseRateLimitReset('2026-03-02T09:00Z', NOW)).toBe(0);
    expect(parseRateLimitReset('1700000000', NOW)).toBeNull();
  });
});
