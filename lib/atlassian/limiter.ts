/**
 * A promise concurrency limiter: at most `n` tasks run at once, the rest wait in FIFO order.
 * Used per site so a sync does not hammer one Atlassian tenant (rate limits are per app and tenant,
 * ../../shared/atlassian-api.md §5).
 */

export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Like `run`, but `task` may give its slot back before it ends (`release`, once; later calls do
   * nothing): a request's slot is free once its answer has arrived, while the caller still parses
   * it, so the next request need not wait for that.
   */
  runReleasable<T>(task: (release: () => void) => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
}

export const DEFAULT_CONCURRENCY = 4;

export function createLimiter(n: number = DEFAULT_CONCURRENCY): Limiter {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Concurrency must be a positive integer (got ${n}).`);
  let active = 0;
  const queue: (() => void)[] = [];

  const release = () => {
    const next = queue.shift();
    if (next) next(); // hand the slot over directly; `active` stays the same
    else active--;
  };

  const acquire = (): Promise<void> => {
    if (active < n) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => queue.push(resolve));
  };

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
    async runReleasable<T>(task: (release: () => void) => Promise<T>): Promise<T> {
      await acquire();
      let released = false;
      const once = () => {
        if (released) return;
        released = true;
        release();
      };
      try {
        return await task(once);
      } finally {
        once();
      }
    },
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
  };
}
