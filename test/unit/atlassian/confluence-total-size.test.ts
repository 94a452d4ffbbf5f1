/** `groupMembers` with `withTotalSize` (atlassian-api.md §3.2 `shouldReturnTotalSize`). */
import { describe, expect, it } from 'vitest';
import { createConfluenceApi } from '../../../lib/atlassian/confluence';
import { createFakeFetch, json, recordingSleep, type Handler } from './fake-fetch';

const SITE = 'https://acme.atlassian.net';
const links = (next: boolean) => ({ base: `${SITE}/wiki`, context: '/wiki', self: 'x', ...(next ? { next: '/rest/api/x?start=200' } : {}) });
const member = (i: number) => ({ type: 'known', accountId: `acc-${i}`, accountType: 'atlassian', email: '', publicName: `User ${i}`, operations: [] });

/** A 450-member group that fills `totalSize` only when asked, like Confluence. */
const handler: Handler = (req) => {
  const start = Number(req.url.searchParams.get('start'));
  const results = Array.from({ length: Math.max(0, Math.min(200, 450 - start)) }, (_, k) => member(start + k));
  const total = req.url.searchParams.get('shouldReturnTotalSize') === 'true' ? { totalSize: 450 } : {};
  return json(200, { results, start, limit: 200, size: results.length, ...total, _links: links(start + results.length < 450) });
};

function client() {
  const fake = createFakeFetch(handler);
  const api = createConfluenceApi({ fetch: fake.fetch, site: SITE, cloudId: null, auth: { kind: 'basic', email: 'a@b.c', apiToken: 't' }, sleep: recordingSleep().sleep });
  return { api, fake };
}

describe('groupMembers total size (§3.2)', () => {
  it('asks for shouldReturnTotalSize only when told to, and returns totalSize', async () => {
    const { api, fake } = client();
    const page = await api.groupMembers('g', 0, 200, { withTotalSize: true });
    expect(fake.calls[0]!.url.searchParams.get('shouldReturnTotalSize')).toBe('true');
    expect(page.totalSize).toBe(450);
    expect(page.nextStart).toBe(200);
  });

  it('leaves the parameter and the field out by default', async () => {
    const { api, fake } = client();
    const page = await api.groupMembers('g', 200);
    expect(fake.calls[0]!.url.searchParams.has('shouldReturnTotalSize')).toBe(false);
    expect(page).not.toHaveProperty('totalSize');
  });

  it('rejects a totalSize that is not a non-negative integer', async () => {
    const fake = createFakeFetch(() => json(200, { results: [], start: 0, limit: 200, size: 0, totalSize: -3, _links: links(false) }));
    const api = createConfluenceApi({ fetch: fake.fetch, site: SITE, cloudId: null, auth: { kind: 'basic', email: 'a@b.c', apiToken: 't' }, sleep: recordingSleep().sleep });
    await expect(api.groupMembers('g', 0, 200, { withTotalSize: true })).rejects.toThrow(/totalSize/);
  });
});
