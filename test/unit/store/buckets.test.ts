import { describe, expect, it } from 'vitest';
import { chunkAccounts } from '../../../lib/store/account-chunks';
import { bucketOf, compareKeys, stableHash } from '../../../lib/store/buckets';
import { account } from './helpers';

describe('stableHash (FNV-1a, 32 bits)', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('foobar')).toBe(0xbf9cf968);
  });

  it('is an unsigned 32-bit integer that depends on every character', () => {
    const h = stableHash('557058:f0e1d2c3-aaaa-bbbb-cccc-000000000001');
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    expect(stableHash('557058:f0e1d2c3-aaaa-bbbb-cccc-000000000002')).not.toBe(h);
  });
});

describe('bucketOf', () => {
  const ids = Array.from({ length: 4000 }, (_, i) => `557058:${i.toString(16).padStart(8, '0')}-account`);

  it('always puts an account in the same bucket, within 0..K-1', () => {
    for (const id of ids.slice(0, 50)) {
      const b = bucketOf(id, 7);
      expect(b).toBe(bucketOf(id, 7));
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(7);
    }
    expect(bucketOf('anything', 1)).toBe(0);
    expect(bucketOf('anything', 0)).toBe(0); // no bucket count yet: everything in one
  });

  it('spreads accounts evenly enough that no bucket is much larger than its share', () => {
    const counts = new Array<number>(8).fill(0);
    for (const id of ids) counts[bucketOf(id, 8)] = (counts[bucketOf(id, 8)] ?? 0) + 1;
    expect(Math.max(...counts)).toBeLessThan((4000 / 8) * 1.25);
    expect(Math.min(...counts)).toBeGreaterThan((4000 / 8) * 0.75);
  });
});

describe('compareKeys', () => {
  it('orders by UTF-16 code units, as IndexedDB orders string keys (unlike localeCompare)', () => {
    const ids = ['b', 'B', 'a', '557058:x', '5b10ac8d', 'é', 'Z'];
    expect([...ids].sort(compareKeys)).toEqual(['557058:x', '5b10ac8d', 'B', 'Z', 'a', 'b', 'é']);
  });
});

describe('chunkAccounts', () => {
  it('writes one chunk per bucket, empty ones included, each sorted and carrying the bucket count', () => {
    const accounts = ['u3', 'u1', 'u2', 'u9'].map((id) => account('https://a.atlassian.net', id, { email: `${id.toUpperCase()}@X.com` }));
    const chunks = chunkAccounts('snap', accounts, 5);
    expect(chunks.map((c) => c.bucket)).toEqual([0, 1, 2, 3, 4]);
    expect(chunks.every((c) => c.buckets === 5 && c.snapshotId === 'snap')).toBe(true);
    for (const c of chunks) {
      expect(c.accounts.every((a) => bucketOf(a.accountId, 5) === c.bucket)).toBe(true);
      expect(c.accounts.map((a) => a.accountId)).toEqual([...c.accounts.map((a) => a.accountId)].sort(compareKeys));
    }
    expect(chunks.flatMap((c) => c.accounts.map((a) => a.accountId)).sort()).toEqual(['u1', 'u2', 'u3', 'u9']);
    expect(chunks.flatMap((c) => c.accounts).find((a) => a.accountId === 'u1')).toMatchObject({ snapshotId: 'snap', emailLower: 'u1@x.com' });
  });
});
