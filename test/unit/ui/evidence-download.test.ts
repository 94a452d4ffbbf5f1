/**
 * How the side panel gets the evidence package's bytes (components/evidenceDownload.ts): fetched
 * from the service worker when it serves them, read in base64 parts when it does not (Firefox's
 * background page has no fetch handler), and saved under the package's file name either way.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toBase64 } from '@/lib/campaign/base64';
import { downloadEvidence } from '@/components/evidenceDownload';
import { setTransport } from '@/components/messaging';

const SITE = 'https://acme.atlassian.net';
const ZIP = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
const ID = '3f2a9c4e-1b7d-4e8a-9c3b-5d6e7f8a9b0c';
const FILE = 'access-review-acme-2026-12-01.zip';

let requests: Record<string, unknown>[];
let saved: { name: string; blob: Blob }[];

beforeEach(() => {
  requests = [];
  saved = [];
  // Three base64 parts of 1,000 characters, as the background would cut a bigger package.
  const text = toBase64(ZIP);
  const parts = [text.slice(0, 1000), text.slice(1000, 2000), text.slice(2000)];
  setTransport(async (req) => {
    const r = req as { type: string; part: number; exportId?: string; via?: string };
    requests.push(r as Record<string, unknown>);
    if (r.exportId === undefined) return { exportId: ID, fileName: FILE, part: 0, parts: 3, base64: r.via === 'fetch' ? '' : parts[0], url: r.via === 'fetch' ? `/evidence/${ID}.zip` : null, bytes: ZIP.length };
    return { exportId: ID, fileName: FILE, part: r.part, parts: 3, base64: parts[r.part], url: null, bytes: ZIP.length };
  });
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.href) as Blob });
  });
});

afterEach(() => {
  setTransport();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function savedBytes(): Promise<number[]> {
  expect(saved).toHaveLength(1);
  expect(saved[0]?.name).toBe(FILE);
  return Array.from(new Uint8Array(await saved[0]!.blob.arrayBuffer()));
}

describe('downloadEvidence', () => {
  it('fetches the bytes from the worker when it serves them: one message, no base64', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(ZIP, { headers: { 'content-type': 'application/zip' } });
    });
    await expect(downloadEvidence(SITE)).resolves.toBe(FILE);
    expect(fetched).toEqual([`/evidence/${ID}.zip`]);
    expect(requests).toEqual([{ type: 'exportEvidence', site: SITE, part: 0, via: 'fetch' }]);
    expect(await savedBytes()).toEqual(Array.from(ZIP));
  });

  it.each([
    ['the fetch fails (no fetch handler)', async () => Promise.reject(new TypeError('Failed to fetch'))],
    ['the worker answers 404', async () => new Response('gone', { status: 404 })],
    ['the bytes come back short', async () => new Response(ZIP.slice(0, 100))],
  ])('reads the parts over messages when %s', async (_case, fetcher) => {
    vi.stubGlobal('fetch', fetcher);
    await downloadEvidence(SITE);
    expect(requests.slice(1)).toEqual([0, 1, 2].map((part) => ({ type: 'exportEvidence', site: SITE, part, exportId: ID })));
    expect(await savedBytes()).toEqual(Array.from(ZIP));
  });
});
