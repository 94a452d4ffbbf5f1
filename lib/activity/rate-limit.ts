/**
 * A requests-per-window budget for the organisation admin API, which allows few requests: about
 * 200 per minute per organisation (../shared/atlassian-api.md §11, reported). Every attempt,
 * retries included, takes one grant. A 429's wait (`pauseUntil`) holds every request back, not
 * only the one that was told (developer.atlassian.com/cloud/admin/organization/rest/intro, "Rate
 * limits": "The client has to wait for the rate limit counter to reset on the server").
 *
 * One limiter per organisation, shared by every caller for it (keep it beside the connection, e.g.
 * in a Map keyed by orgId). The clock and sleep are injected, so tests never wait.
 */

export interface RateLimiter {
  /** Resolves when one more request fits in the window (and no pause holds), and counts it. */
  acquire(): Promise<void>;
  /** Nobody is granted a request before `untilMs` (epoch ms). Never shortens an existing pause. */
  pauseUntil(untilMs: number): void;
  /** Epoch ms before which nothing is sent (0 when not paused). */
  readonly pausedUntil: number;
}

export interface RateLimiterOptions {
  /** Requests per window; default 180, a margin under the reported ~200 per minute. */
  limit?: number;
  /** Window length; default 60 s. */
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_ORG_REQUESTS_PER_MINUTE = 180;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const limit = options.limit ?? DEFAULT_ORG_REQUESTS_PER_MINUTE;
  const windowMs = options.windowMs ?? 60_000;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer (got ${limit})`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive (got ${windowMs})`);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  /** Grant times inside the current window, oldest first (a sliding window: never more than `limit` in any `windowMs`). */
  const grants: number[] = [];
  let pausedUntil = 0;
  /** Grants are handed out one at a time, in call order. */
  let queue: Promise<void> = Promise.resolve();

  async function grant(): Promise<void> {
    for (;;) {
      const t = now();
      if (t < pausedUntil) {
        await sleep(pausedUntil - t);
        continue;
      }
      while (grants.length > 0 && (grants[0] as number) <= t - windowMs) grants.shift();
      if (grants.length < limit) {
        grants.push(t);
        return;
      }
      await sleep((grants[0] as number) + windowMs - t);
    }
  }

  return {
    acquire() {
      const next = queue.then(grant);
      queue = next.catch(() => undefined);
      return next;
    },
    pauseUntil(untilMs: number) {
      if (Number.isFinite(untilMs) && untilMs > pausedUntil) pausedUntil = untilMs;
    },
    get pausedUntil() {
      return pausedUntil;
    },
  };
}
