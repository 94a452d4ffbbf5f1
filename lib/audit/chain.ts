/**
 * The audit log's hash chain, pure (apart from crypto.subtle's SHA-256). Every entry holds the
 * SHA-256 of the previous entry (`prev`; 64 zeros for the first) and its own `hash`: the SHA-256
 * of the canonical JSON of all its other fields. Editing an entry breaks its own hash; deleting
 * or reordering one breaks the next entry's `prev` or the sequence; deleting the last ones is
 * caught by the head (the chain's last seq and hash, stored apart). One chain per site.
 */
import { canonicalJson, sha256Hex } from '../campaign/canonical';

export const AUDIT_KINDS = [
  'connect',
  'disconnect',
  'groups_saved',
  'sync_start',
  'sync_end',
  'roster_import',
  // Activity data changes flags (dormant, admin without 2SV); the key grants the organisation admin API.
  'activity_import',
  'org_key',
  'mark',
  'review_start',
  'review_refresh',
  'decision',
  'decision_bulk',
  'review_complete',
  'remediation_verified',
  'export',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const GENESIS_HASH = '0'.repeat(64);

/** Details are JSON values: strings, numbers, booleans, null, arrays and objects of them. */
export type AuditDetails = Record<string, unknown>;

export interface AuditActor {
  name: string;
  accountId: string | null;
}

export interface AuditEntry {
  /** The site URL the entry belongs to ('' for events before any site was connected). */
  chain: string;
  /** 1, 2, 3, … without gaps. */
  seq: number;
  at: string;
  actor: AuditActor;
  kind: AuditKind;
  details: AuditDetails;
  prev: string;
  hash: string;
}

export interface AuditHead {
  chain: string;
  seq: number;
  hash: string;
}

export type UnsealedEntry = Omit<AuditEntry, 'hash'>;

/** The hash of an entry: SHA-256 of the canonical JSON of every field but `hash`. */
export function entryHash(entry: UnsealedEntry): Promise<string> {
  const { chain, seq, at, actor, kind, details, prev } = entry;
  return sha256Hex(canonicalJson({ chain, seq, at, actor, kind, details, prev }));
}

/** The entry that follows `last` (null: the first of its chain). */
export async function nextEntry(
  last: Pick<AuditEntry, 'seq' | 'hash'> | null,
  fields: { chain: string; at: string; actor: AuditActor; kind: AuditKind; details: AuditDetails },
): Promise<AuditEntry> {
  // Round-trip the details through JSON so what is hashed is exactly what a reader sees.
  const details = JSON.parse(JSON.stringify(fields.details)) as AuditDetails;
  const unsealed: UnsealedEntry = { ...fields, details, seq: (last?.seq ?? 0) + 1, prev: last?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: await entryHash(unsealed) };
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | { ok: false; entries: number; seq: number; reason: string };

/**
 * Checks a chain read in seq order against its head; reports the first broken link: an entry
 * whose hash does not match its content (edited), whose `prev` is not the previous entry's hash
 * or whose seq skips (deleted or reordered), or a last entry that is not the head (deleted at
 * the end).
 */
export async function verifyChain(entries: readonly AuditEntry[], head: AuditHead | null): Promise<ChainVerdict> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    const broken = (reason: string): ChainVerdict => ({ ok: false, entries: entries.length, seq: entry.seq, reason });
    if (entry.seq !== expectedSeq) {
      return broken(`Entry ${entry.seq} follows entry ${expectedSeq - 1}: ${entry.seq > expectedSeq ? `entry ${expectedSeq} is missing` : 'the order is broken'}.`);
    }
    if (entry.prev !== prev) return broken(`Entry ${entry.seq} does not link to the entry before it (its previous hash differs): an entry before it was changed or removed.`);
    if ((await entryHash(entry)) !== entry.hash) return broken(`Entry ${entry.seq} was changed after it was written (its hash does not match its content).`);
    prev = entry.hash;
    expectedSeq++;
  }
  const lastSeq = expectedSeq - 1;
  if (head && (head.seq !== lastSeq || head.hash !== prev)) {
    return {
      ok: false,
      entries: entries.length,
      seq: Math.min(head.seq, lastSeq + 1),
      reason: head.seq > lastSeq ? `Entries ${lastSeq + 1}–${head.seq} are missing from the end of the log.` : 'The log does not end with the entry last written.',
    };
  }
  if (!head && entries.length > 0) return { ok: false, entries: entries.length, seq: lastSeq, reason: 'The log has no record of its last entry.' };
  return { ok: true, entries: entries.length };
}
