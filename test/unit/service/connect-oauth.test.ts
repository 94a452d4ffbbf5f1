// @vitest-environment node
/** OAuth 3LO connect through the service: authorize URL, callback state, site choice, errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OAUTH_SCOPES } from '../../../lib/atlassian/oauth';
import { getCredentials } from '../../../lib/store/credentials';
import { ACME, ACME_LABS, CLIENT_ID, CLIENT_SECRET, followAuthorize, REDIRECT_URL, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

const cloudIdOf = (name: string) => h.fake.state.site(name).site.cloudId;

describe('connectOAuth', () => {
  it('builds the authorize URL with exactly OAUTH_SCOPES joined by %20, the callback and a state', async () => {
    await h.connectOAuth();
    const url = h.authorizeUrls[0] ?? '';
    expect(url.startsWith('https://auth.atlassian.com/authorize?')).toBe(true);
    const rawScope = /[?&]scope=([^&]*)/.exec(url)?.[1] ?? '';
    // atlassian-api.md §1.1: `+` between scopes is not accepted.
    expect(rawScope).toContain('%20');
    expect(rawScope).not.toContain('+');
    expect(decodeURIComponent(rawScope).split(' ').sort()).toEqual([...OAUTH_SCOPES].sort());
    const params = new URL(url).searchParams;
    expect(params.get('redirect_uri')).toBe(REDIRECT_URL);
    expect(params.get('client_id')).toBe(CLIENT_ID);
    expect(params.get('state')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('picks the site that was entered among the granted ones, whatever order they are listed in', async () => {
    // accessible-resources is shuffled on every call (§1.5); connect each site several times.
    for (let i = 0; i < 3; i++) {
      await h.connectOAuth('acme-labs.atlassian.net');
      await h.connectOAuth('https://ACME.atlassian.net/wiki/home');
    }
    expect(h.fake.log.count('GET /oauth/token/accessible-resources')).toBe(6);
    const state = await h.ok({ type: 'getState' });
    const bySite = new Map(state.sites.map((s) => [s.site, s]));
    expect([...bySite.keys()].sort()).toEqual([ACME, ACME_LABS].sort());
    expect(bySite.get(ACME)).toMatchObject({ cloudId: cloudIdOf('acme'), siteName: 'Acme', authMethod: 'oauth', status: 'connected' });
    expect(bySite.get(ACME_LABS)).toMatchObject({ cloudId: cloudIdOf('acme-labs'), status: 'connected' });
    expect(h.scheduled).toContainEqual({ site: ACME, hours: 24 });
  });

  it('refuses a site the grant does not cover and lists the granted sites', async () => {
    const answer = await h.fail({ type: 'connectOAuth', siteUrl: 'globex.atlassian.net', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(answer.error).toContain('globex.atlassian.net');
    expect(answer.error).toContain('acme.atlassian.net');
    expect(answer.error).toContain('acme-labs.atlassian.net');
    expect(answer.grantedSites?.map((g) => g.url).sort()).toEqual([ACME, ACME_LABS].sort());
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
  });

  it('refuses a callback whose state differs and stores nothing, without exchanging the code', async () => {
    const follow = followAuthorize(h.fake);
    h.setAuthFlow(async (url) => {
      const callback = new URL(await follow(url));
      callback.searchParams.set('state', 'forged-state');
      return callback.toString();
    });
    const answer = await h.fail({ type: 'connectOAuth', siteUrl: 'acme.atlassian.net', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(answer.error).toMatch(/state mismatch/);
    expect(h.fake.log.count('POST /oauth/token')).toBe(0);
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
    expect(await getCredentials(await h.store(), ACME)).toBeUndefined();
  });

  it('says the client id or secret was rejected when the secret is wrong, and stores nothing', async () => {
    const wrongSecret = 'not-the-acme-secret';
    const answer = await h.fail({ type: 'connectOAuth', siteUrl: 'acme.atlassian.net', clientId: CLIENT_ID, clientSecret: wrongSecret });
    expect(answer.error).toMatch(/rejected the Client ID or Client secret/);
    expect(answer.error).not.toContain(wrongSecret);
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
    expect(await getCredentials(await h.store(), ACME)).toBeUndefined();
  });

  it('reports a sign-in window that closed without an answer', async () => {
    h.setAuthFlow(async () => {
      throw new Error('The user did not approve access.');
    });
    const answer = await h.fail({ type: 'connectOAuth', siteUrl: 'acme.atlassian.net', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(answer.error).toBe('The Atlassian sign-in did not complete: The user did not approve access.');
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
  });
});

describe('the consent page', () => {
  /** Shows the consent page (§1.1) and submits the admin's decision, like the browser would. */
  function decide(decision: 'accept' | 'decline') {
    return async (url: string): Promise<string> => {
      const page = await (await h.fake.fetch(url)).text();
      const txn = /name="txn" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const res = await h.fake.fetch('https://auth.atlassian.com/authorize/consent', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ txn, decision }).toString(),
      });
      return res.headers.get('location') ?? '';
    };
  }

  beforeEach(() => h.fake.setConsent('page'));

  it('connects when the admin accepts', async () => {
    h.setAuthFlow(decide('accept'));
    await h.connectOAuth();
    expect((await h.ok({ type: 'getState' })).sites.map((s) => s.site)).toEqual([ACME]);
  });

  it('says access was declined when the admin declines, and stores nothing', async () => {
    h.setAuthFlow(decide('decline'));
    const answer = await h.fail({ type: 'connectOAuth', siteUrl: 'acme.atlassian.net', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(answer.error).toMatch(/declined access/);
    expect(h.fake.log.count('POST /oauth/token')).toBe(0);
    expect((await h.ok({ type: 'getState' })).sites).toEqual([]);
  });
});

describe('a grant without a scope the sync needs', () => {
  it('fails the sync with an error naming the missing scope', async () => {
    const missing = 'read:user:confluence';
    // The consent grants everything but users-bulk's scope (as if the app lacked it).
    const follow = followAuthorize(h.fake);
    h.setAuthFlow(async (url) => {
      const scopes = decodeURIComponent(/[?&]scope=([^&]*)/.exec(url)?.[1] ?? '').split(' ');
      const narrowed = encodeURIComponent(scopes.filter((s) => s !== missing).join(' '));
      return follow(url.replace(/([?&]scope=)[^&]*/, `$1${narrowed}`));
    });
    await h.connectOAuth();
    const creds = await getCredentials(await h.store(), ACME);
    expect(creds?.kind === 'oauth' && creds.tokens.scope).not.toContain(missing);

    const groups = await h.ok({ type: 'listGroups', site: ACME });
    await h.selectAndSync(ACME, groups.groups.filter((g) => g.name === 'confluence-admins-acme').map((g) => g.id));

    const site = (await h.ok({ type: 'getState' })).sites[0];
    expect(site?.lastError).toContain(`"${missing}"`);
    expect(site?.lastSyncedAt).toBeNull();
    const diagnostics = await h.ok({ type: 'getDiagnostics', site: ACME });
    expect(diagnostics.history[0]).toMatchObject({ status: 'failed' });
    expect(diagnostics.history[0]?.error).toContain(missing);
    expect(diagnostics.problems.join('\n')).toContain(missing);
  });
});
