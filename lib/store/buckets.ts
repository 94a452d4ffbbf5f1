/**
 * Which bucket an account falls in. A sync splits its accounts into K buckets by a stable hash
 * of the account id; a snapshot stores one record per bucket (see ./accounts.ts), so finding one
 * account reads one record, and the sync can work bucket by bucket with bounded memory.
 */

/** FNV-1a, 32 bits, over the string's UTF-16 code units: fast, stable across runs and browsers. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The bucket of `accountId` among `buckets` (≥ 1). */
export function bucketOf(accountId: string, buckets: number): number {
  return stableHash(accountId) % Math.max(1, Math.floor(buckets));
}

/** IndexedDB's order for string keys (UTF-16 code units), which `localeCompare` is not. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
