import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, entryHash, nextEntry, verifyChain, type AuditEntry, type AuditHead } from '../../../lib/audit/chain';
import { auditCsv } from '../../../lib/audit/csv';
import { canonicalJson } from '../../../lib/campaign/canonical';
import Papa from 'papaparse';

const ACTOR = { name: 'Avery Admin', accountId: null };
const SITE = 'https://acme.atlassian.net';

async function chainOf(n: number): Promise<{ entries: AuditEntry[]; head: AuditHead }> {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push(await nextEntry(entries.at(-1) ?? null, { chain: SITE, at: `2025-03-10T10:00:0${i}.000Z`, actor: ACTOR, kind: 'decision', details: { accountId: `a${i}`, note: `n${i}` } }));
  }
  const last = entries.at(-1)!;
  return { entries, head: { chain: SITE, seq: last.seq, hash: last.hash } };
}

describe('audit hash chain', () => {
  it('links every entry to the previous one, starting from the genesis hash', async () => {
    const { entries, head } = await chainOf(4);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[0]!.prev).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.hash);
    expect(new Set(entries.map((e) => e.hash)).size).toBe(4);
    expect(await verifyChain(entries, head)).toEqual({ ok: true, entries: 4 });
  });

  it('an edited entry is found: its own hash no longer matches', async () => {
    const { entries, head } = await chainOf(4);
    const edited = entries.map((e) => ({ ...e, details: { ...e.details } }));
    edited[1]!.details.note = 'changed afterwards';
    expect(await verifyChain(edited, head)).toMatchObject({ ok: false, seq: 2, reason: expect.stringMatching(/changed after it was written/) });
  });

  it('an edit that recomputes the entry’s hash is found at the next entry', async () => {
    const { entries, head } = await chainOf(4);
    const forged = entries.map((e) => ({ ...e }));
    forged[1] = { ...forged[1]!, actor: { name: 'Mallory', accountId: null } };
    forged[1]!.hash = await entryHash(forged[1]!);
    expect(await verifyChain(forged, head)).toMatchObject({ ok: false, seq: 3, reason: expect.stringMatching(/does not link/) });
  });

  it('a deleted entry is found, in the middle and at the end', async () => {
    const { entries, head } = await chainOf(5);
    expect(await verifyChain([...entries.slice(0, 2), ...entries.slice(3)], head)).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/entry 3 is missing/) });
    expect(await verifyChain(entries.slice(0, 4), head)).toMatchObject({ ok: false, seq: 5, reason: expect.stringMatching(/missing from the end/) });
    expect(await verifyChain(entries.slice(1), head)).toMatchObject({ ok: false, seq: 2 });
  });

  it('the hash covers the canonical JSON of every other field', async () => {
    const { entries } = await chainOf(1);
    const e = entries[0]!;
    const { hash: _h, ...rest } = e;
    const { createHash } = await import('node:crypto');
    expect(e.hash).toBe(createHash('sha256').update(canonicalJson(rest)).digest('hex'));
  });

  it('audit-log.csv carries every entry with its hashes, oldest first', async () => {
    const { entries } = await chainOf(3);
    const csv = auditCsv([...entries].reverse());
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['seq', 'at', 'actor', 'actor_account_id', 'kind', 'details', 'prev_hash', 'hash']);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(['1', '2', '3']);
    expect(parsed[1]!.slice(4)).toEqual(['decision', '{"accountId":"a0","note":"n0"}', GENESIS_HASH, entries[0]!.hash]);
  });
});
