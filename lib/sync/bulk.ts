/**
 * Raw IndexedDB requests for the sync's hot loops. `idb` wraps every request in a promise with
 * listeners and WeakMap bookkeeping; at tens of thousands of records per sync that wrapping was a
 * measurable share of the worker's time (scripts/bench-sync.ts), so a batch gets one promise here.
 * Any failing request aborts its transaction, which `inTransaction` (../store/tx.ts) reports.
 */
import { type IDBPObjectStore, unwrap } from 'idb';

/** The plain `IDBObjectStore` under an idb-wrapped store. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any store of any schema
export function rawStore(store: IDBPObjectStore<any, any, any, any>): IDBObjectStore {
  return unwrap(store);
}

/** `store.get` for every key, in order; one promise for the whole batch. */
export function getMany<T>(store: IDBObjectStore, keys: readonly IDBValidKey[]): Promise<(T | undefined)[]> {
  return new Promise((resolve, reject) => {
    const out = new Array<T | undefined>(keys.length);
    let left = keys.length;
    if (left === 0) {
      resolve(out);
      return;
    }
    keys.forEach((key, i) => {
      const request = store.get(key);
      request.onsuccess = () => {
        out[i] = request.result as T | undefined;
        if (--left === 0) resolve(out);
      };
      request.onerror = () => reject(request.error);
    });
  });
}

/** Queues `store.put` for every value; the transaction's completion says whether they landed. */
export function putMany(store: IDBObjectStore, values: readonly unknown[]): void {
  for (const value of values) store.put(value);
}
