/** The HR roster: replaced all at once, never merged. */
import type { Person, RosterMeta } from '../model';
import type { Store } from './schema';

/**
 * Clears the old roster and writes the new one in one transaction: all or nothing. If any
 * write fails (even synchronously, e.g. a person without a valid `id` key), the transaction is
 * aborted and the old roster and its meta stay exactly as they were.
 */
export async function replaceRoster(store: Store, people: Person[], meta: RosterMeta): Promise<void> {
  const tx = store.db.transaction(['people', 'meta'], 'readwrite');
  const writes: Promise<unknown>[] = [];
  try {
    const peopleStore = tx.objectStore('people');
    writes.push(peopleStore.clear());
    for (const person of people) writes.push(peopleStore.put(person));
    writes.push(tx.objectStore('meta').put({ key: 'roster', value: meta }));
  } catch (error) {
    // A synchronous DataError does not abort the transaction by itself: the clear() would commit.
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
  const [people, meta] = await Promise.all([
    tx.objectStore('people').getAll(),
    tx.objectStore('meta').get('roster'),
    tx.done,
  ]);
  return {
    meta: meta?.key === 'roster' ? meta.value : null,
    people: people.sort((a, b) => a.row - b.row),
  };
}
