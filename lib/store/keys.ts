/** Key-range helpers for the `[prefix, id]` compound keys used by several stores. */

/**
 * Every key `[prefix, <string>]` — and nothing of another prefix. `[prefix]` sorts before any
 * longer array with that head, and `[prefix, []]` after any `[prefix, string]`, because
 * IndexedDB orders arrays after strings.
 */
export function prefixRange(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound([prefix], [prefix, []]);
}
