/**
 * Raw IndexedDB requests for the sync's batch writes. `idb` wraps every request in a promise with
 * listeners and WeakMap bookkeeping; a batch that needs no per-request answer skips that wrapping.
 * Any failing request aborts its transaction, which `inTransaction` (../store/tx.ts) reports.
 */
import { type IDBPObjectStore, unwrap } from 'idb';

/** The plain `IDBObjectStore` under an idb-wrapped store. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any store of any schema
export function rawStore(store: IDBPObjectStore<any, any, any, any>): IDBObjectStore {
  return unwrap(store);
}

/** Queues `store.put` for every value; the transaction's completion says whether they landed. */
export function putMany(store: IDBObjectStore, values: readonly unknown[]): void {
  for (const value of values) store.put(value);
}
