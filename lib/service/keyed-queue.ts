/**
 * Jobs run one at a time per key (a site, an audit chain), in the order they were added; jobs of
 * different keys run side by side. A failed job does not stop the ones after it. Pure.
 */
export interface KeyedQueue {
  /** Runs `job` after the key's earlier jobs have settled; resolves or rejects with it. */
  run<T>(key: string, job: () => Promise<T>): Promise<T>;
  /** Resolves once no key has a job queued or running. */
  idle(): Promise<void>;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, job) {
      const next = (tails.get(key) ?? Promise.resolve()).then(job);
      const settled = next.catch(() => undefined);
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return next;
    },
    async idle() {
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
}
