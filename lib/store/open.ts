/**
 * Opening the database. Stores and their indexes are created from `STORES` (./schema.ts): an
 * upgrade from version v creates every store declared `since` a later version. A change that
 * must transform existing data adds a function to `DATA_MIGRATIONS` under the version it
 * introduces. Every version change comes with a test that opens a database of the previous
 * version holding data and checks it after the upgrade (test/unit/store/migrations.test.ts).
 */
import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { STORES, STORE_NAMES, type AccessLensDB, type StoreDeclaration, type Store } from './schema';

export const DB_NAME = 'access-lens';

/** The newest `since` in STORES. */
export const DB_VERSION = Math.max(...STORE_NAMES.map((name) => STORES[name].since));

type UpgradeTx = IDBPTransaction<AccessLensDB, StoreNames<AccessLensDB>[], 'versionchange'>;

/** Data transforms run when upgrading to the key's version, after its stores exist. None yet. */
const DATA_MIGRATIONS: Partial<Record<number, (db: IDBPDatabase<AccessLensDB>, tx: UpgradeTx) => void>> = {};

function createStoresOf(db: IDBPDatabase<AccessLensDB>, version: number): void {
  for (const name of STORE_NAMES) {
    const decl: StoreDeclaration = STORES[name];
    if (decl.since !== version) continue;
    const store = db.createObjectStore(name, { keyPath: decl.keyPath });
    for (const [index, keyPath] of Object.entries(decl.indexes ?? {})) {
      (store as unknown as IDBObjectStore).createIndex(index, keyPath);
    }
  }
}

/**
 * Opens (creating or upgrading) the database. `version` is for migration tests only: they open
 * an older version, fill it, close it, and open the current one.
 */
export async function openStore(name: string = DB_NAME, version: number = DB_VERSION): Promise<Store> {
  const db = await openDB<AccessLensDB>(name, version, {
    upgrade(database, oldVersion, newVersion, tx) {
      const target = newVersion ?? version;
      for (let v = oldVersion + 1; v <= target; v++) {
        createStoresOf(database, v);
        DATA_MIGRATIONS[v]?.(database, tx);
      }
    },
  });
  return { db, close: () => db.close() };
}
