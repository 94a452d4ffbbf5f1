/** Errors the sync engine itself raises (Atlassian errors come from ../atlassian/errors). */

/** The sync was aborted through its AbortSignal; the run is recorded as failed "Sync interrupted". */
export class SyncInterruptedError extends Error {
  constructor() {
    super('Sync interrupted');
    this.name = 'SyncInterruptedError';
  }
}

/** The run record changed under the engine (ended elsewhere, deleted, or its checkpoint moved). */
export class SyncStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncStateError';
  }
}

/** Rejects as soon as `signal` aborts, whether or not `work` ever settles. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new SyncInterruptedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SyncInterruptedError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SyncInterruptedError();
}
