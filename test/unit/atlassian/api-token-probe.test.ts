import { describe, expect, it } from 'vitest';
import { ApiTokenConnectError, probeApiToken } from '../../../lib/atlassian/api-token-probe';
import { ScopeError } from '../../../lib/atlassian/errors';
import { createFakeFetch, json, recordingSleep, type Handler } from './fake-fetch';

const SITE = 'https://acme.atlassian.net';
const CLOUD = '11111111-1111-4111-8111-111111111111';
const me = { type: 'known', accountId: 'a1', accountType: 'atlassian', publicName: 'Sam', displayName: 'Sam Service' };

function probe(handler: Handler) {
  const fake = createFakeFetch(handler);
  const run = () => probeApiToken({ fetch: fake.fetch, site: SITE, email: 'sam@acme.com', apiToken: 'tok', client: { sleep: recordingSleep().sleep } });
  return { fake, run, where: () => fake.calls.map((c) => `${c.url.host}${c.url.pathname}`) };
}

/** A site where `works` says which base accepts the token. */
function site(works: 'site' | 'gateway', extra: { jira?: number; tenant?: boolean; anonymous?: boolean } = {}): Handler {
  return (req) => {
    if (req.url.pathname === '/_edge/tenant_info') return extra.tenant === false ? json(404, {}) : json(200, { cloudId: CLOUD });
    const gateway = req.url.host === 'api.atlassian.com';
    if ((gateway ? 'gateway' : 'site') !== works) {
      return extra.anonymous && !gateway ? json(200, { type: 'anonymous', displayName: 'Anonymous' }) : json(401, { code: 401, message: 'Unauthorized' });
    }
    if (req.url.pathname.endsWith('/rest/api/3/myself')) return extra.jira ? json(extra.jira, { errorMessages: ['x'] }) : json(200, { accountId: 'a1' });
    return json(200, me);
  };
}

describe('probeApiToken (issue 8, item 1)', () => {
  it('a classic token: the site answers, nothing goes to the gateway', async () => {
    const { run, where } = probe(site('site'));
    expect(await run()).toEqual({ apiBase: 'site', cloudId: CLOUD, connectedAs: 'Sam Service', hasJira: true, jiraDetail: null });
    expect(where()).toEqual(['acme.atlassian.net/_edge/tenant_info', 'acme.atlassian.net/wiki/rest/api/user/current', 'acme.atlassian.net/rest/api/3/myself']);
  });

  it('a scoped token: the site refuses, the gateway with the cloudId from tenant_info accepts, Jira is probed there too', async () => {
    const { run, where, fake } = probe(site('gateway'));
    expect(await run()).toMatchObject({ apiBase: 'gateway', cloudId: CLOUD, hasJira: true });
    expect(where()).toEqual([
      'acme.atlassian.net/_edge/tenant_info',
      'acme.atlassian.net/wiki/rest/api/user/current',
      `api.atlassian.com/ex/confluence/${CLOUD}/wiki/rest/api/user/current`,
      `api.atlassian.com/ex/jira/${CLOUD}/rest/api/3/myself`,
    ]);
    expect(fake.calls.every((c) => c.headers['authorization'] === `Basic ${btoa('sam@acme.com:tok')}` || c.url.pathname === '/_edge/tenant_info')).toBe(true);
  });

  it('an anonymous user/current on the site counts as a refusal, so the gateway is tried', async () => {
    const { run } = probe(site('gateway', { anonymous: true }));
    expect(await run()).toMatchObject({ apiBase: 'gateway' });
  });

  it('no Jira (404) or Jira refusing (401, 403): connected without Jira, saying why', async () => {
    expect(await probe(site('site', { jira: 404 })).run()).toMatchObject({ hasJira: false, jiraDetail: 'no Jira on this site (HTTP 404)' });
    expect(await probe(site('site', { jira: 401 })).run()).toMatchObject({ hasJira: false, jiraDetail: expect.stringContaining('401') });
    expect(await probe(site('gateway', { jira: 403 })).run()).toMatchObject({ apiBase: 'gateway', hasJira: false });
  });

  it('refused by both: "did not accept", of kind rejected', async () => {
    const { run } = probe((req) => (req.url.pathname === '/_edge/tenant_info' ? json(200, { cloudId: CLOUD }) : json(401, { code: 401, message: 'Unauthorized' })));
    await expect(run()).rejects.toMatchObject({ constructor: ApiTokenConnectError, kind: 'rejected', message: `${SITE} did not accept this email and API token. Check both and try again.` });
  });

  it('without a cloudId from tenant_info the gateway cannot be tried: refused at once', async () => {
    const { run, where } = probe(site('gateway', { tenant: false }));
    await expect(run()).rejects.toMatchObject({ kind: 'rejected' });
    expect(where()).toEqual(['acme.atlassian.net/_edge/tenant_info', 'acme.atlassian.net/wiki/rest/api/user/current']);
  });

  it('a site that is not Confluence (404): not-confluence', async () => {
    const { run } = probe(() => json(404, { message: 'Not Found' }));
    await expect(run()).rejects.toMatchObject({ kind: 'not-confluence' });
  });

  it('a scoped token missing a scope: the ScopeError names the granular scope', async () => {
    const { run } = probe((req) => {
      if (req.url.pathname === '/_edge/tenant_info') return json(200, { cloudId: CLOUD });
      return req.url.host === 'api.atlassian.com' ? json(401, { code: 401, message: 'Unauthorized; scope does not match' }) : json(401, { code: 401, message: 'Unauthorized' });
    });
    await expect(run()).rejects.toMatchObject({ constructor: ScopeError, scope: 'read:content-details:confluence', credential: 'scoped-token' });
  });
});
