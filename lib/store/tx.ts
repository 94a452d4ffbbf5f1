/** Transaction helpers: all-or-nothing bodies without unhandled request rejections. */

interface AbortableTx {
  abort(): void;
  readonly done: Promise<void>;
}

/**
 * Runs `body` inside `tx` and waits for the commit. If `body` throws, the transaction is aborted
 * at once (an exception in JS does not abort IndexedDB work already queued) and the error is
 * rethrown after the abort has settled.
 */
export async function inTransaction<T>(tx: AbortableTx, body: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already committed or aborted.
    }
    await tx.done.catch(() => undefined);
    throw error;
  }
  await tx.done;
  return result;
}

/**
 * Combines request promises that the body will await later, marking them handled now: if the
 * transaction aborts first, their rejections must not surface as unhandled.
 */
export function allRequests(requests: Promise<unknown>[]): Promise<unknown[]> {
  const all = Promise.all(requests);
  all.catch(() => undefined);
  return all;
}
