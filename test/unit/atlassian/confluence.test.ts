import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createConfluenceApi, type ConfluenceApiOptions } from '../../../lib/atlassian/confluence';
import { AuthRevokedError, JiraUnavailableError, PermissionError, ResponseShapeError, ScopeError, XsrfRefusedError } from '../../../lib/atlassian/errors';
import type { Auth } from '../../../lib/atlassian/http';
import { createFakeFetch, json, recordingSleep, type Handler } from './fake-fetch';

/**
 * Real response bodies from ../shared/atlassian-samples (read in place, never copied into the
 * repository). A user's own clone has no ../shared: those tests are skipped, saying why.
 * happy-dom's `URL` is not Node's, hence the path functions.
 */
const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/atlassian-samples');
const haveSamples = existsSync(SAMPLES);
if (!haveSamples) console.warn(`Skipping the real-sample client tests: ${SAMPLES} is absent (it sits beside the project in CI).`);
const fixture = (name: string) => join(SAMPLES, name);

const SITE = 'https://acme.atlassian.net';
const CLOUD = 'cloud-123';
const bearer: Auth = { kind: 'bearer', getAccessToken: async () => 'tok', refreshAccessToken: async () => 'tok2' };
const basic: Auth = { kind: 'basic', email: 'admin@acme.com', apiToken: 'api' };

function api(handler: Handler, over: Partial<ConfluenceApiOptions> = {}, delayMs?: number) {
  const fake = createFakeFetch(handler, { delayMs });
  const client = createConfluenceApi({ fetch: fake.fetch, site: SITE, cloudId: CLOUD, auth: bearer, sleep: recordingSleep().sleep, ...over });
  return { client, fake };
}

const links = (next: boolean) => ({ base: `${SITE}/wiki`, context: '/wiki', self: 'x', ...(next ? { next: '/rest/api/whatever?start=999' } : {}) });
const member = (i: number) => ({ type: 'known', accountId: `acc-${i}`, accountType: 'atlassian', email: `u${i}@acme.com`, publicName: `User ${i}`, displayName: `User ${i}`, isGuest: false, operations: [] });

/** A group of `total` members, paged like Confluence (§3.2, §3.3). */
function membersHandler(total: number): Handler {
  return (req) => {
    const start = Number(req.url.searchParams.get('start'));
    const limit = Number(req.url.searchParams.get('limit'));
    if (limit > 200) return json(400, { statusCode: 400, message: 'limit > 200' });
    const results = Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, k) => member(start + k));
    return json(200, { results, start, limit, size: results.length, _links: links(start + results.length < total) });
  };
}

async function allMembers(client: ReturnType<typeof api>['client'], groupId: string) {
  const out: string[] = [];
  let start: number | null = 0;
  while (start !== null) {
    const page = await client.groupMembers(groupId, start);
    out.push(...page.members.map((m) => m.accountId));
    start = page.nextStart;
  }
  return out;
}

describe('base URLs (§1.6)', () => {
  it('OAuth goes through api.atlassian.com/ex/{product}/{cloudId}', async () => {
    const { client, fake } = api((req) =>
      req.url.pathname.includes('/ex/jira/') ? json(200, { values: [], isLast: true }) : json(200, { results: [], start: 0, limit: 200, size: 0, _links: links(false) }),
    );
    await client.listGroups(0);
    await client.jiraUsers(['a']);
    expect(fake.calls.map((c) => c.url.origin + c.url.pathname)).toEqual([
      'https://api.atlassian.com/ex/confluence/cloud-123/wiki/rest/api/group',
      'https://api.atlassian.com/ex/jira/cloud-123/rest/api/3/user/bulk',
    ]);
  });

  it('API-token auth goes to the site for both products', async () => {
    const { client, fake } = api(
      (req) => (req.url.pathname.includes('/rest/api/3/') ? json(200, { values: [], isLast: true }) : json(200, { results: [], start: 0, limit: 200, size: 0, _links: links(false) })),
      { auth: basic, cloudId: null, site: 'ACME.atlassian.net/wiki' },
    );
    await client.listGroups(0);
    await client.jiraUsers(['a']);
    expect(fake.calls.map((c) => c.url.origin + c.url.pathname)).toEqual([`${SITE}/wiki/rest/api/group`, `${SITE}/rest/api/3/user/bulk`]);
  });

  it('a scoped API token goes through the gateway with Basic auth, for both products (§10)', async () => {
    const { client, fake } = api(
      (req) => (req.url.pathname.includes('/rest/api/3/') ? json(200, { values: [], isLast: true }) : json(200, { results: [], start: 0, limit: 200, size: 0, _links: links(false) })),
      { auth: basic, apiBase: 'gateway' },
    );
    await client.listGroups(0);
    await client.jiraUsers(['a']);
    expect(fake.calls.map((c) => c.url.origin + c.url.pathname)).toEqual([
      'https://api.atlassian.com/ex/confluence/cloud-123/wiki/rest/api/group',
      'https://api.atlassian.com/ex/jira/cloud-123/rest/api/3/user/bulk',
    ]);
    expect(fake.calls[0]!.headers['authorization']).toBe(`Basic ${btoa('admin@acme.com:api')}`);
  });

  it('refuses the gateway for an API token without a cloudId', () => {
    expect(() => createConfluenceApi({ fetch: createFakeFetch(() => json(200, {})).fetch, site: SITE, cloudId: null, auth: basic, apiBase: 'gateway' })).toThrow(/tenant_info/);
  });

  it('refuses OAuth without a cloudId and a non-Atlassian site', () => {
    expect(() => createConfluenceApi({ fetch: createFakeFetch(() => json(200, {})).fetch, site: SITE, cloudId: null, auth: bearer })).toThrow(/cloudId/);
    expect(() => createConfluenceApi({ fetch: createFakeFetch(() => json(200, {})).fetch, site: 'https://evil.com', cloudId: null, auth: basic })).toThrow(/not an Atlassian Cloud site/);
  });
});

describe('listGroups', () => {
  it.skipIf(!haveSamples)('maps the real sample and stops when _links.next is absent', async () => {
    const sample = JSON.parse(readFileSync(fixture('groups0.json'), 'utf8')) as unknown;
    const { client, fake } = api(() => json(200, sample));
    const page = await client.listGroups(0);
    expect(page).toEqual({ groups: [{ id: '123', name: 'confluence-users' }, { id: '456', name: 'system-administrators' }], nextStart: null });
    expect(fake.calls[0]!.url.search).toBe('?start=0&limit=200');
  });

  it('next start is start + size while _links.next exists (§3.3)', async () => {
    const { client } = api(() => json(200, { results: [{ id: 'g', name: 'G', type: 'group' }], start: 40, limit: 200, size: 1, _links: links(true) }));
    expect((await client.listGroups(40)).nextStart).toBe(41);
  });

  it('names the missing field when a group has no id', async () => {
    const { client } = api(() => json(200, { results: [{ name: 'G' }], start: 0, limit: 200, size: 1, _links: links(false) }));
    await expect(client.listGroups(0)).rejects.toThrow(/results\[0\]\.id/);
  });

  it('rejects limit > 200 before sending (§3.2)', async () => {
    const { client, fake } = api(() => json(200, {}));
    await expect(client.listGroups(0, 201)).rejects.toThrow(RangeError);
    await expect(client.listGroups(-1)).rejects.toThrow(RangeError);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('groupMembers pagination (§3.2, §3.3)', () => {
  it('asks for limit 200 with expand=operations and an encoded group id', async () => {
    const { client, fake } = api(membersHandler(1));
    await client.groupMembers('a/b c', 0);
    expect(fake.calls[0]!.url.pathname).toBe('/ex/confluence/cloud-123/wiki/rest/api/group/a%2Fb%20c/membersByGroupId');
    expect(Object.fromEntries(fake.calls[0]!.url.searchParams)).toEqual({ start: '0', limit: '200', expand: 'operations' });
  });

  it('exactly 200 members with no next link is one page', async () => {
    const { client, fake } = api(membersHandler(200));
    expect(await allMembers(client, 'g')).toHaveLength(200);
    expect(fake.calls).toHaveLength(1);
  });

  it('201 members is two pages, the second starting at 200', async () => {
    const { client, fake } = api(membersHandler(201));
    const ids = await allMembers(client, 'g');
    expect(ids).toHaveLength(201);
    expect(new Set(ids).size).toBe(201);
    expect(fake.calls.map((c) => c.url.searchParams.get('start'))).toEqual(['0', '200']);
  });

  it('an empty group is one empty page', async () => {
    const { client } = api(membersHandler(0));
    expect(await client.groupMembers('g', 0)).toEqual({ members: [], skipped: 0, nextStart: null });
  });

  it('an empty page that claims a next page is an error, not an endless loop', async () => {
    const { client } = api(() => json(200, { results: [], start: 0, limit: 200, size: 0, _links: links(true) }));
    await expect(client.groupMembers('g', 0)).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it('falls back to the requested start and results length when start/size are missing', async () => {
    const { client } = api(() => json(200, { results: [member(1), member(2)], _links: links(true) }));
    expect((await client.groupMembers('g', 400)).nextStart).toBe(402);
  });

  it('rejects limit > 200 without calling Atlassian', async () => {
    const { client, fake } = api(membersHandler(5));
    await expect(client.groupMembers('g', 0, 500)).rejects.toThrow(/1 to 200/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('member mapping', () => {
  it.skipIf(!haveSamples)('maps the real sample into RawMember', async () => {
    const sample = JSON.parse(readFileSync(fixture('users0.json'), 'utf8')) as unknown;
    const { client } = api(() => json(200, sample));
    const page = await client.groupMembers('123', 0);
    expect(page.members[0]).toEqual({
      accountId: '234',
      accountType: 'atlassian',
      email: 'marcos.gaeta@conductorone.com',
      publicName: 'Marcos Gaeta',
      displayName: 'Marcos Gaeta',
      isGuest: null,
      isExternalCollaborator: false,
      operations: [{ operation: 'use', targetType: 'application' }],
    });
    expect(page.members[1]!.accountType).toBe('app');
  });

  it('turns hidden e-mail "" into null and missing optional fields into null / ""', async () => {
    const { client } = api(() =>
      json(200, { results: [{ accountId: 'x', email: '', publicName: 'X' }], start: 0, limit: 200, size: 1, _links: links(false) }),
    );
    expect((await client.groupMembers('g', 0)).members[0]).toEqual({
      accountId: 'x', accountType: '', email: null, publicName: 'X', displayName: null, isGuest: null, isExternalCollaborator: null, operations: null,
    });
  });

  it('reads an accountType v1 does not list (customer, a typo) as unknown instead of failing the page (issue 8, item 6)', async () => {
    const { client } = api(() => json(200, { results: [{ ...member(1), accountType: 'customer' }, { ...member(2), accountType: 'robot' }, member(3)], start: 0, limit: 200, size: 3, _links: links(false) }));
    const page = await client.groupMembers('g', 0);
    expect(page.members.map((m) => [m.accountId, m.accountType])).toEqual([['acc-1', ''], ['acc-2', ''], ['acc-3', 'atlassian']]);
  });

  it('skips null members and members without an accountId, counts them, and pages past them', async () => {
    const { client } = api(() => json(200, { results: [null, member(1), { ...member(2), accountId: null }, { publicName: 'ghost' }], start: 0, limit: 4, size: 4, _links: links(true) }));
    const page = await client.groupMembers('g', 0);
    expect(page.members.map((m) => m.accountId)).toEqual(['acc-1']);
    expect(page.skipped).toBe(3);
    expect(page.nextStart).toBe(4);
  });

  it('a member without publicName still gets a name', async () => {
    const { client } = api(() => json(200, { results: [{ accountId: 'x', displayName: 'Dee' }, { accountId: 'y' }], _links: links(false) }));
    expect((await client.groupMembers('g', 0)).members.map((m) => m.publicName)).toEqual(['Dee', 'y']);
  });

  it('currentUser: an anonymous answer (a site open to anonymous users) means the credentials were not accepted', async () => {
    const { client } = api(() => json(200, { type: 'anonymous', displayName: 'Anonymous', profilePicture: { path: '/wiki/x', width: 48, height: 48, isDefault: true }, _links: {} }), { auth: basic, cloudId: null });
    const error = await client.currentUser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRevokedError);
    expect((error as Error).message).toBe('https://acme.atlassian.net answered as an anonymous user: the credentials were not accepted.');
  });

  it('currentUser asks for operations and maps the user', async () => {
    const { client, fake } = api(() => json(200, { ...member(7), operations: [{ operation: 'administer', targetType: 'application' }] }));
    const me = await client.currentUser();
    expect(me.operations).toEqual([{ operation: 'administer', targetType: 'application' }]);
    expect(fake.calls[0]!.url.pathname + fake.calls[0]!.url.search).toBe('/ex/confluence/cloud-123/wiki/rest/api/user/current?expand=operations');
  });
});

describe('groupExists (§3.1 group/by-id)', () => {
  it('is true on 200 and false on the documented 404, and asks by id', async () => {
    const { client, fake } = api((req) => (req.url.searchParams.get('id') === 'g 1' ? json(200, { type: 'group', id: 'g 1', name: 'G' }) : json(404, { statusCode: 404, message: 'Returned if the group does not exist.' })));
    expect(await client.groupExists('g 1')).toBe(true);
    expect(await client.groupExists('gone')).toBe(false);
    expect(fake.calls[0]!.url.pathname).toBe('/ex/confluence/cloud-123/wiki/rest/api/group/by-id');
  });

  it('passes any other failure on', async () => {
    const { client } = api(() => json(403, { statusCode: 403, message: 'no' }));
    await expect(client.groupExists('g')).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('probeJira (issue 8, item 2)', () => {
  it('is ok when myself answers, and names the reason otherwise', async () => {
    expect(await api(() => json(200, { accountId: 'me' })).client.probeJira()).toEqual({ ok: true });
    expect(await api(() => json(404, { errorMessages: ['Not Found'] })).client.probeJira()).toMatchObject({ ok: false, reason: 'absent' });
    expect(await api(() => json(401, { code: 401, message: 'Unauthorized' })).client.probeJira()).toMatchObject({ ok: false, reason: 'unauthorized' });
  });
});

describe('usersBulk (§3.4)', () => {
  const handler: Handler = (req) => {
    const ids = (req.body as { accountIds: string[] }).accountIds;
    if (ids.length > 250) return json(400, { message: 'too many' });
    return json(200, { results: ids.map((accountId) => ({ accountId, accountType: 'atlassian', accountStatus: 'closed', email: '' })), _links: {} });
  };

  it('sends ≤ 250 ids per request and returns every user', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `id-${i}`);
    const { client, fake } = api(handler);
    const users = await client.usersBulk(ids);
    expect(fake.calls.map((c) => (c.body as { accountIds: string[] }).accountIds.length)).toEqual([250, 250, 100]);
    expect(fake.calls[0]!.url.pathname).toBe('/ex/confluence/cloud-123/wiki/api/v2/users-bulk');
    expect(users.map((u) => u.accountId)).toEqual(ids);
    expect(users[0]).toEqual({ accountId: 'id-0', accountType: 'atlassian', accountStatus: 'closed', email: null });
  });

  it('says when every request of the call is answered (onAnswered), once, before parsing', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `id-${i}`);
    const { client } = api(handler);
    let answered = 0;
    await client.usersBulk(ids, { onAnswered: () => answered++ });
    expect(answered).toBe(1);
    // Answered but malformed: the slot may go, the call still fails on its parse.
    const bad = api(() => json(200, { results: 'nope' }));
    let badAnswered = 0;
    await expect(bad.client.usersBulk(['a'], { onAnswered: () => badAnswered++ })).rejects.toThrow(/results/);
    expect(badAnswered).toBe(1);
    // Refused: never answered.
    const refused = api(() => new Response('XSRF check failed', { status: 403 }));
    let refusedAnswered = 0;
    await expect(refused.client.usersBulk(['a'], { onAnswered: () => refusedAnswered++ })).rejects.toBeInstanceOf(XsrfRefusedError);
    expect(refusedAnswered).toBe(0);
  });

  it('sends nothing for no ids and de-duplicates', async () => {
    const { client, fake } = api(handler);
    expect(await client.usersBulk([])).toEqual([]);
    expect(fake.calls).toHaveLength(0);
    await client.usersBulk(['a', 'a', 'b']);
    expect(fake.calls[0]!.body).toEqual({ accountIds: ['a', 'b'] });
  });

  it('sends X-Atlassian-Token: no-check, and an XSRF refusal is an XsrfRefusedError (§10)', async () => {
    const { client, fake } = api(() => new Response('XSRF check failed', { status: 403 }));
    await expect(client.usersBulk(['a'])).rejects.toBeInstanceOf(XsrfRefusedError);
    expect(fake.calls[0]!.headers['x-atlassian-token']).toBe('no-check');
  });

  it('skips a null result and maps statuses outside the enum to unknown', async () => {
    const { client } = api(() => json(200, { results: [null, { accountId: 'a', accountType: 'customer', accountStatus: 'suspended' }], _links: {} }));
    expect(await client.usersBulk(['a', 'b'])).toEqual([{ accountId: 'a', accountType: 'customer', accountStatus: 'unknown', email: null }]);
  });

  it('a 404 ("cannot use Confluence or view user profiles") is a PermissionError', async () => {
    const { client } = api(() => json(404, { message: 'Not Found' }));
    await expect(client.usersBulk(['a'])).rejects.toBeInstanceOf(PermissionError);
  });

  it('a missing scope names read:user:confluence', async () => {
    const { client } = api(() => json(401, { code: 401, message: 'Unauthorized; scope does not match' }));
    await expect(client.usersBulk(['a'])).rejects.toMatchObject({ constructor: ScopeError, scope: 'read:user:confluence' });
  });
});

describe('jiraUsers (§4)', () => {
  const jiraUser = (accountId: string) => ({ accountId, accountType: 'atlassian', emailAddress: `${accountId}@acme.com`, active: true, displayName: accountId });

  it('repeats accountId, sets maxResults to the id count and sends ≤ 50 ids per request', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `j-${i}`);
    const { client, fake } = api((req) => json(200, { values: req.url.searchParams.getAll('accountId').map(jiraUser), startAt: 0, isLast: true }));
    const users = await client.jiraUsers(ids);
    expect(fake.calls.map((c) => c.url.searchParams.getAll('accountId').length)).toEqual([50, 50, 20]);
    expect(fake.calls.map((c) => c.url.searchParams.get('maxResults'))).toEqual(['50', '50', '20']);
    expect(users.map((u) => u.accountId)).toEqual(ids);
    expect(users[0]).toEqual({ accountId: 'j-0', emailAddress: 'j-0@acme.com', active: true });
  });

  it('follows pages while isLast is false', async () => {
    // A Jira that ignores maxResults and pages by 10.
    const { client, fake } = api((req) => {
      const ids = req.url.searchParams.getAll('accountId');
      const startAt = Number(req.url.searchParams.get('startAt'));
      const values = ids.slice(startAt, startAt + 10).map(jiraUser);
      return json(200, { values, startAt, maxResults: 10, total: ids.length, isLast: startAt + 10 >= ids.length });
    });
    const users = await client.jiraUsers(Array.from({ length: 25 }, (_, i) => `j-${i}`));
    expect(users).toHaveLength(25);
    expect(fake.calls.map((c) => c.url.searchParams.get('startAt'))).toEqual(['0', '10', '20']);
  });

  it('null email and missing active become null', async () => {
    const { client } = api(() => json(200, { values: [{ accountId: 'a', emailAddress: null }], isLast: true }));
    expect(await client.jiraUsers(['a'])).toEqual([{ accountId: 'a', emailAddress: null, active: null }]);
  });

  it('403 is a JiraUnavailableError that names the missing Jira permission', async () => {
    const { client } = api(() => json(403, { errorMessages: ['You do not have permission'], errors: {} }));
    const error = await client.jiraUsers(['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraUnavailableError);
    expect(error).toMatchObject({ reason: 'forbidden', status: 403 });
    expect((error as Error).message).toMatch(/Browse users and groups.*You do not have permission/);
  });

  it.each([
    ['401, without refreshing the token', () => json(401, { code: 401, message: 'Unauthorized' }), 'unauthorized'],
    ['a missing scope', () => json(401, { code: 401, message: 'Unauthorized; scope does not match' }), 'scope'],
    ['404 (no Jira on the site)', () => json(404, { errorMessages: ['Not Found'] }), 'absent'],
    ['a network failure', () => { throw new TypeError('Failed to fetch'); }, 'unreachable'],
    ['an hour-long rate limit', () => json(429, {}, { 'Retry-After': '3600' }), 'rate-limited'],
  ] as const)('%s is a JiraUnavailableError (%s)', async (_what, answer, reason) => {
    let refreshed = 0;
    const auth: Auth = { kind: 'bearer', getAccessToken: async () => 'tok', refreshAccessToken: async () => { refreshed++; return 'tok2'; } };
    const { client } = api(answer, { auth });
    await expect(client.jiraUsers(['a'])).rejects.toMatchObject({ constructor: JiraUnavailableError, reason });
    expect(refreshed).toBe(0);
  });

  it('sends nothing for no ids', async () => {
    const { client, fake } = api(() => json(200, { values: [], isLast: true }));
    expect(await client.jiraUsers([])).toEqual([]);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('concurrency and counting', () => {
  it('never exceeds the configured concurrency across chunked calls, and counts requests', async () => {
    const { client, fake } = api(
      (req) => json(200, { results: (req.body as { accountIds: string[] }).accountIds.map((accountId) => ({ accountId })) }),
      { concurrency: 2 },
      3,
    );
    await Promise.all([client.usersBulk(Array.from({ length: 1000 }, (_, i) => `a${i}`)), client.usersBulk(Array.from({ length: 500 }, (_, i) => `b${i}`))]);
    expect(fake.calls).toHaveLength(6);
    expect(fake.maxInFlight).toBe(2);
    expect(client.requestCount).toBe(6);
  });
});
