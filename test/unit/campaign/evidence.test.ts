/**
 * The evidence zip itself: every entry deflated (natively where the platform can, by fflate where
 * it cannot), each entry's CRC-32 and sizes in the central directory true to its data, and the
 * same files whichever way it was deflated.
 */
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildEvidence, writeReviewCsv, writeReviewJson, type EvidenceInput } from '../../../lib/campaign/evidence';
import { REVIEW_COLUMNS, reviewDocument } from '../../../lib/campaign/document';
import { csvCell, csvTable } from '../../../lib/review/export';
import { Utf8Sink, utf8 } from '../../../lib/utf8';
import type { DecisionRecord } from '../../../lib/campaign/types';
import { REVIEWER, account, campaign, rows as reviewRows, sampleRows } from './fixtures';

function input(): EvidenceInput {
  const rows = sampleRows();
  const decisions = new Map<string, DecisionRecord>(
    rows.map((r) => [r.account.accountId, { accountId: r.account.accountId, decision: 'keep', note: 'Confirmed — Zoë 😀', decidedAt: '2025-03-10T10:00:00.000Z', decidedBy: REVIEWER, removeFromGroups: [] } as unknown as DecisionRecord]),
  );
  return {
    campaign: campaign({ status: 'completed', completedAt: '2025-03-10T11:00:00.000Z', seal: 'ab'.repeat(32) }),
    rows,
    decisions,
    auditEntries: [],
    generatedAt: '2025-03-11T00:00:00.000Z',
    now: new Date('2025-03-11T00:00:00.000Z'),
    remediationDueDays: 14,
    extensionVersion: '0.1.0',
  };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The central directory (APPNOTE 4.3.12): name, method, CRC-32, compressed and uncompressed size per entry. */
function centralDirectory(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  expect(end).toBeGreaterThanOrEqual(0);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: { name: string; method: number; crc: number; compressed: number; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressed: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

afterEach(() => vi.unstubAllGlobals());

describe('evidence zip', () => {
  it('deflates every entry and records its true CRC-32 and sizes', async () => {
    const { zip } = await buildEvidence(input());
    const files = unzipSync(zip);
    const entries = centralDirectory(zip);
    expect(entries.map((e) => e.name)).toEqual(['review.csv', 'review.json', 'report.html', 'audit-log.csv', 'manifest.json']);
    for (const entry of entries) {
      const data = files[entry.name] as Uint8Array;
      expect(entry.method).toBe(8);
      expect(entry.size).toBe(data.length);
      expect(entry.crc).toBe(crc32(data));
    }
    // Deflated, not stored: the JSON of even four accounts shrinks.
    const json = entries.find((e) => e.name === 'review.json')!;
    expect(json.compressed).toBeLessThan(json.size / 2);
  });

  it('holds the same files when the platform has no CompressionStream (fflate deflates)', async () => {
    const native = unzipSync((await buildEvidence(input())).zip);
    vi.stubGlobal('CompressionStream', undefined);
    const fallback = await buildEvidence(input());
    const files = unzipSync(fallback.zip);
    expect(Object.keys(files)).toEqual(Object.keys(native));
    for (const [name, data] of Object.entries(native)) expect(files[name], name).toEqual(data);
    for (const entry of centralDirectory(fallback.zip)) expect(entry.crc).toBe(crc32(files[entry.name] as Uint8Array));
  });
});

describe('review.csv and review.json written a piece at a time', () => {
  // More rows than one piece holds, with the cells the writers must not change: quotes, commas,
  // line breaks, formula starts, non-Latin-1 and astral characters.
  function many(n: number) {
    const names = ['Zoë "Z" Müller', 'Ada, Countess', '=HYPERLINK("x")', 'Line\nbreak', '漢字 😀', ' -lead', 'Plain Name'];
    const accounts = Array.from({ length: n }, (_, i) =>
      account({
        accountId: `acc-${String(i).padStart(4, '0')}`,
        displayName: `${names[i % names.length]} ${i}`,
        email: i % 4 === 0 ? null : `p${i}@acme.com`,
        ...(i % 4 === 0 ? {} : { emailSource: 'confluence' as const }),
        groups: [{ id: 'g1', name: i % 3 === 0 ? '+group;=x' : 'confluence-users' }],
      }),
    );
    return reviewRows(accounts);
  }

  it.each([0, 1, 255, 256, 257, 700])('%i rows: byte for byte the whole-text way', (n) => {
    const rows = many(n);
    const decisions = new Map(
      rows.slice(0, Math.floor(n / 2)).map((r) => [r.account.accountId, { accountId: r.account.accountId, decision: 'keep', note: 'Fine — ok', decidedAt: '2025-03-10T10:00:00.000Z', decidedBy: REVIEWER, removeFromGroups: [] } as unknown as DecisionRecord]),
    );
    const doc = reviewDocument(campaign({ accounts: n }), rows, decisions, { now: new Date('2025-03-11T00:00:00.000Z'), remediationDueDays: 14, generatedAt: '2025-03-11T00:00:00.000Z', extensionVersion: '0.1.0' });
    expect(doc.rows).toHaveLength(n);
    const json = new Utf8Sink(16);
    writeReviewJson(doc, json);
    expect(new TextDecoder().decode(json.bytes())).toBe(`${JSON.stringify(doc)}\n`);
    const csv = new Utf8Sink(16);
    writeReviewCsv(doc.rows, csv);
    const whole = csvTable(
      REVIEW_COLUMNS,
      doc.rows.map((r) => REVIEW_COLUMNS.map((c) => csvCell(r[c] as string | string[] | null))),
    );
    expect(Array.from(csv.bytes())).toEqual(Array.from(utf8(whole)));
  });
});
