/**
 * The HR roster: replaced all at once, never merged. People are stored in chunks of
 * ROSTER_CHUNK_SIZE per record: IndexedDB costs about the same per request whatever the record's
 * size, so a 50,000-row roster is 50 writes instead of 50,000 (see `npm run bench`).
 */
import type { Person, RosterMeta } from '../model';
import type { Store } from './schema';

export const ROSTER_CHUNK_SIZE = 1000;

/** Every person needs a unique, non-empty id: marks refer to people by it. */
function checkIds(people: readonly Person[]): void {
  const seen = new Set<string>();
  for (const p of people) {
    if (typeof p.id !== 'string' || p.id === '') throw new TypeError(`Roster row ${p.row}: the person has no id.`);
    if (seen.has(p.id)) throw new TypeError(`Roster row ${p.row}: the id ${p.id} is used twice.`);
    seen.add(p.id);
  }
}

/**
 * Clears the old roster and writes the new one in one transaction: all or nothing. If anything
 * is wrong (a missing or repeated id, a value that cannot be stored), nothing changes: the old
 * roster and its meta stay exactly as they were.
 */
export async function replaceRoster(store: Store, people: Person[], meta: RosterMeta): Promise<void> {
  checkIds(people);
  const tx = store.db.transaction(['people', 'meta'], 'readwrite');
  const writes: Promise<unknown>[] = [];
  try {
    const chunks = tx.objectStore('people');
    writes.push(chunks.clear());
    for (let i = 0; i * ROSTER_CHUNK_SIZE < people.length; i++) {
      writes.push(chunks.put({ chunk: i, people: people.slice(i * ROSTER_CHUNK_SIZE, (i + 1) * ROSTER_CHUNK_SIZE) }));
    }
    writes.push(tx.objectStore('meta').put({ key: 'roster', value: meta }));
  } catch (error) {
    // A synchronous error (e.g. DataCloneError) does not abort the transaction by itself: the
    // clear() would commit.
    tx.abort();
    await Promise.allSettled([...writes, tx.done]);
    throw error;
  }
  const results = await Promise.allSettled([...writes, tx.done]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

/** People in file order (by row). */
export async function getRoster(store: Store): Promise<{ meta: RosterMeta | null; people: Person[] }> {
  const tx = store.db.transaction(['people', 'meta']);
  const [chunks, meta] = await Promise.all([
    tx.objectStore('people').getAll(),
    tx.objectStore('meta').get('roster'),
    tx.done,
  ]);
  return {
    meta: meta?.key === 'roster' ? meta.value : null,
    people: chunks.flatMap((c) => c.people).sort((a, b) => a.row - b.row),
  };
}

/** Only the roster's meta (file name, import time, size): cheap, for status and cache keys. */
export async function getRosterMeta(store: Store): Promise<RosterMeta | null> {
  const meta = await store.db.get('meta', 'roster');
  return meta?.key === 'roster' ? meta.value : null;
}
