import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../lib/activity/rate-limit';

/** A clock that only moves when someone sleeps. */
function testClock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

describe('createRateLimiter', () => {
  it('grants `limit` requests at once, then waits until the oldest leaves the window', async () => {
    const clock = testClock();
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, ...clock });
    const grantedAt: number[] = [];
    for (let i = 0; i < 7; i++) {
      await limiter.acquire();
      grantedAt.push(clock.now() - 1_000_000);
      clock.advance(1_000); // each request takes a second
    }
    expect(grantedAt).toEqual([0, 1_000, 2_000, 60_000, 61_000, 62_000, 120_000]);
  });

  it('never grants more than `limit` in any window, even to concurrent callers', async () => {
    const clock = testClock();
    const limiter = createRateLimiter({ limit: 5, windowMs: 10_000, ...clock });
    const grantedAt: number[] = [];
    await Promise.all(Array.from({ length: 23 }, () => limiter.acquire().then(() => grantedAt.push(clock.now()))));
    expect(grantedAt).toHaveLength(23);
    for (const t of grantedAt) expect(grantedAt.filter((u) => u > t - 10_000 && u <= t).length).toBeLessThanOrEqual(5);
    // In order, and with no more waiting than needed: 5 per 10 s.
    expect(grantedAt).toEqual([...grantedAt].sort((a, b) => a - b));
    expect(Math.max(...grantedAt) - Math.min(...grantedAt)).toBe(40_000);
  });

  it('a pause holds every request until it ends, and is never shortened', async () => {
    const clock = testClock();
    const limiter = createRateLimiter({ limit: 100, windowMs: 60_000, ...clock });
    limiter.pauseUntil(clock.now() + 30_000);
    limiter.pauseUntil(clock.now() + 10_000);
    expect(limiter.pausedUntil).toBe(1_030_000);
    await limiter.acquire();
    expect(clock.now()).toBe(1_030_000);
    await limiter.acquire();
    expect(clock.now()).toBe(1_030_000);
  });

  it('defaults to 180 requests per minute, a margin under the reported 200', async () => {
    const clock = testClock();
    const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 181; i++) await limiter.acquire();
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('refuses a nonsensical budget', () => {
    expect(() => createRateLimiter({ limit: 0 })).toThrow(RangeError);
    expect(() => createRateLimiter({ windowMs: 0 })).toThrow(RangeError);
  });
});
