/** A small promise pool: at most `concurrency` workers in flight, first error wins. */

/**
 * Runs `worker` over `items` with at most `concurrency` running at once. After the first failure
 * (or once `stop()` says so) no new item starts; the returned promise settles only when every
 * started worker has settled, so nothing keeps writing after the caller cleans up. Rejects with
 * the first error.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, stopped: () => boolean) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const stopped = () => failed || stop();
  const lane = async () => {
    while (!stopped() && next < items.length) {
      const item = items[next++] as T;
      try {
        await worker(item, stopped);
      } catch (error) {
        if (!failed) {
          failed = true;
          firstError = error;
        }
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failed) throw firstError;
}
