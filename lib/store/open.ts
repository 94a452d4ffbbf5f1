/**
 * Opening the database. Migrations are a list indexed by the version they upgrade *from*, so a
 * later version adds one function and every older database walks the chain in order.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { AccessLensDB, Store } from './schema';

export const DB_NAME = 'access-lens';

type Migration = (
  db: IDBPDatabase<AccessLensDB>,
  tx: IDBPTransaction<AccessLensDB, StoreNames<AccessLensDB>[], 'versionchange'>,
) => void;

const migrations: Migration[] = [
  // 0 → 1: the initial schema.
  (db) => {
    db.createObjectStore('connections', { keyPath: 'site' });
    db.createObjectStore('credentials', { keyPath: 'site' });

    const groups = db.createObjectStore('groups', { keyPath: ['site', 'id'] });
    groups.createIndex('site', 'site');

    // A snapshot's accounts in chunks (see AccountChunk), and what a running sync collects.
    db.createObjectStore('accounts', { keyPath: ['snapshotId', 'bucket'] });
    db.createObjectStore('pages', { keyPath: ['snapshotId', 'groupId', 'start'] });
    db.createObjectStore('fragments', { keyPath: ['snapshotId', 'bucket', 'batch'] });

    const runs = db.createObjectStore('syncRuns', { keyPath: 'id' });
    runs.createIndex('site', 'site');
    runs.createIndex('siteStartedAt', ['site', 'startedAt']);

    db.createObjectStore('people', { keyPath: 'chunk' });
    const marks = db.createObjectStore('marks', { keyPath: ['site', 'accountId'] });
    marks.createIndex('site', 'site');
    db.createObjectStore('meta', { keyPath: 'key' });
  },
];

export const DB_VERSION = migrations.length;

export async function openStore(name: string = DB_NAME): Promise<Store> {
  const db = await openDB<AccessLensDB>(name, DB_VERSION, {
    upgrade(database, oldVersion, newVersion, tx) {
      const target = newVersion ?? DB_VERSION;
      for (let v = oldVersion; v < target; v++) migrations[v]?.(database, tx);
    },
  });
  return { db, close: () => db.close() };
}
