/**
 * The audit log in IndexedDB: entries keyed `[chain, seq]`, and per chain its head (last seq and
 * hash), written together. `add`, never `put`: an existing entry is never overwritten.
 */
import type { AuditEntry, AuditHead } from '../audit/chain';
import { prefixRange } from './keys';
import type { Store } from './schema';

export async function getAuditHead(store: Store, chain: string): Promise<AuditHead | null> {
  return (await store.db.get('auditHeads', chain)) ?? null;
}

/**
 * Appends `entry` if the chain's head is still `expected` (null: empty chain); false when another
 * append got there first (the caller recomputes and tries again).
 */
export async function appendAuditEntry(store: Store, entry: AuditEntry, expected: AuditHead | null): Promise<boolean> {
  const tx = store.db.transaction(['auditLog', 'auditHeads'], 'readwrite');
  const head = (await tx.objectStore('auditHeads').get(entry.chain)) ?? null;
  if ((head?.seq ?? 0) !== (expected?.seq ?? 0) || (head?.hash ?? null) !== (expected?.hash ?? null)) {
    await tx.done;
    return false;
  }
  await Promise.all([
    tx.objectStore('auditLog').add(entry),
    tx.objectStore('auditHeads').put({ chain: entry.chain, seq: entry.seq, hash: entry.hash }),
    tx.done,
  ]);
  return true;
}

/** The chain's entries, oldest first. */
export async function readAuditChain(store: Store, chain: string): Promise<AuditEntry[]> {
  const entries = await store.db.getAll('auditLog', prefixRange(chain));
  return entries.sort((a, b) => a.seq - b.seq);
}
