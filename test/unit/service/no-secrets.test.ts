// @vitest-environment node
/**
 * No answer of any handler, success or error, and no broadcast carries the client secret, an API
 * token, or any access or refresh token. Every request type is sent at least once, over an OAuth
 * connection (with a refresh) and an API-token connection.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestType } from '../../../lib/messages';
import { requests } from '../../../lib/service/requests';
import { parseUserExport } from '../../../lib/activity/user-export';
import { userExportFor, withOrganisation } from '../../fake-atlassian/user-export';
import { ACME, ACME_LABS, ADMIN_EMAIL, ADMIN_TOKEN, CLIENT_ID, CLIENT_SECRET, demoScenario, EXTENSION_ID, groupId, startHarness, type Harness } from './harness';

const ORG_ID = 'c0ffee00-0000-4000-8000-000000000002';
const ORG_KEY = 'ATCTT3xFfGN0-no-secrets-org-key';

let h: Harness;
beforeEach(async () => {
  const scenario = withOrganisation(demoScenario(), { today: new Date().toISOString().slice(0, 10), orgId: ORG_ID, apiKey: ORG_KEY });
  h = await startHarness({ accessTokenLifetimeSec: 120, scenario });
  h.addSecret(ORG_KEY);
});
afterEach(() => h.close());

describe('answers never carry credentials', () => {
  it('for every request type, on OAuth and API-token connections, including errors', async () => {
    const sent = new Set<RequestType>();
    const send = async (req: Parameters<Harness['ask']>[0]) => {
      sent.add(req.type);
      return h.ask(req);
    };

    await send({ type: 'connectOAuth', siteUrl: 'acme', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await send({ type: 'connectOAuth', siteUrl: 'globex', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await send({ type: 'connectOAuth', siteUrl: 'acme', clientId: CLIENT_ID, clientSecret: 'wrong-secret-value' });
    await send({ type: 'connectApiToken', siteUrl: 'acme-labs', email: ADMIN_EMAIL, apiToken: ADMIN_TOKEN });
    await send({ type: 'connectApiToken', siteUrl: 'acme-labs', email: ADMIN_EMAIL, apiToken: 'wrong-api-token' });

    for (const site of [ACME, ACME_LABS]) {
      const groups = await h.ok({ type: 'listGroups', site });
      await send({ type: 'listGroups', site, refresh: true });
      await send({ type: 'saveGroups', site, groupIds: groups.groups.filter((g) => g.name === 'confluence-admins-acme').map((g) => g.id) });
      await h.service.idle(site);
    }
    h.advance(5 * 60_000); // the OAuth access token expires: the next sync refreshes it
    await send({ type: 'syncNow' });
    await h.service.idle();
    await send({ type: 'getState' });
    const review = await h.ok({ type: 'queryReview', site: ACME });
    const accountId = review.rows[0]?.account.accountId ?? '';
    await send({ type: 'queryReview', site: ACME_LABS, filter: 'filtered' });
    await send({ type: 'getAccount', site: ACME, accountId });
    const csv = await h.ok({ type: 'exportReview', site: ACME, format: 'csv' });
    sent.add('exportReview');
    await send({ type: 'exportReview', site: ACME, format: 'json' });
    expect(csv.text).toContain(accountId);
    await send({ type: 'setMark', site: ACME, accountId, mark: { kind: 'service', reason: 'robot' } });
    await send({ type: 'whyMissing', site: ACME, query: accountId });
    await send({ type: 'getDiagnostics', site: ACME });
    await send({ type: 'getDiagnostics', site: ACME_LABS });
    await send({ type: 'importRoster', fileName: 'hr.csv', people: [] });
    await send({ type: 'searchPeople', search: '' });
    await send({ type: 'saveSettings', site: ACME, syncIntervalHours: 12, graceDays: 5 });
    // The content script's requests, from a content script on the site's page.
    for (const req of [{ type: 'pageBadges', accountIds: [accountId] }, { type: 'openPanel', accountId }] as const) {
      sent.add(req.type);
      const url = `${ACME}/wiki/people/${accountId}`;
      await h.dispatch(req, { id: EXTENSION_ID, url, tab: { id: 3, url, windowId: 1 } });
    }
    await send({ type: 'focusPanel', site: ACME, windowId: 1 });
    await send({ type: 'takePanelFocus', windowId: 1 });
    const scenario = h.fake.state.scenario;
    const parsed = parseUserExport(userExportFor(scenario, scenario.organisation!, { shape: 'managed-accounts' }), { siteName: 'acme', fileName: 'users.csv' });
    await send({ type: 'importUserExport', site: ACME, meta: parsed.meta!, accounts: parsed.accounts });
    await send({ type: 'saveOrgKey', orgId: ORG_ID, apiKey: ORG_KEY });
    await h.service.idle();
    await send({ type: 'getActivityStatus', site: ACME });
    await send({ type: 'saveOrgKey', orgId: ORG_ID, apiKey: 'ATCTT3x-wrong-org-key' });
    await send({ type: 'fetchActivityNow', site: ACME });
    await h.service.idle();
    await send({ type: 'getActivityStatus', site: ACME });
    await send({ type: 'forgetOrgKey' });
    // Access reviews and the audit log (issue 9).
    await send({ type: 'startReview', site: ACME });
    await send({ type: 'refreshReview', site: ACME });
    await send({ type: 'getCampaign', site: ACME });
    await send({ type: 'queryCampaign', site: ACME });
    await send({ type: 'getReviewAccount', site: ACME, accountId });
    await send({ type: 'decide', site: ACME, accountId, decision: 'revoke' }); // refused: no note
    await send({ type: 'decide', site: ACME, accountId, decision: 'revoke', note: 'Left' });
    await send({ type: 'decideBulk', site: ACME, kind: 'keepUnflagged' });
    await send({ type: 'completeReview', site: ACME, signOff: 'ok' });
    const evidence = await h.ok({ type: 'exportEvidence', site: ACME });
    sent.add('exportEvidence');
    const { unzipSync, strFromU8 } = await import('fflate');
    const files = unzipSync(Buffer.from(evidence.base64, 'base64'));
    for (const secret of h.knownSecrets()) for (const bytes of Object.values(files)) expect(strFromU8(bytes)).not.toContain(secret);
    await send({ type: 'listAudit', site: ACME });
    await send({ type: 'exportAuditLog', site: ACME });
    await send({ type: 'verifyAuditLog', site: ACME });
    h.fake.revokeAllGrants();
    await send({ type: 'listGroups', site: ACME, refresh: true }); // fails: the grant is gone
    await send({ type: 'getDiagnostics', site: ACME });
    await send({ type: 'disconnect', site: ACME, deleteData: false });
    await send({ type: 'disconnect', site: ACME_LABS, deleteData: true });
    await send({ type: 'getState' });

    const allTypes = Object.keys(requests);
    expect([...sent].sort()).toEqual([...allTypes].sort());
    // The check is meaningful only if real tokens were issued and a refresh happened.
    expect(h.fake.log.count('POST /oauth/token')).toBeGreaterThanOrEqual(3);
    expect(h.knownSecrets().filter((s) => s.startsWith('atl_rt_')).length).toBeGreaterThanOrEqual(2);
    expect(h.knownSecrets().filter((s) => s.startsWith('atl_at_')).length).toBeGreaterThanOrEqual(2);
    expect(h.leakedSecrets()).toEqual([]);
    expect(h.broadcasts.length).toBeGreaterThan(0);
    // The organisation key was used (so the check means something), only with the admin API.
    const keyed = h.sent.filter((r) => r.authorization?.includes(ORG_KEY));
    expect(keyed.length).toBeGreaterThan(0);
    expect(keyed.every((r) => r.url.startsWith('https://api.atlassian.com/admin/'))).toBe(true);
  });
});

describe('the leak check itself', () => {
  it('notices a secret that an answer echoes back', async () => {
    await h.connectApiToken();
    await h.selectAndSync(ACME, [groupId(h.fake, 'site-admins')]);
    expect(h.leakedSecrets()).toEqual([]);
    // whyMissing repeats its query: a stand-in for a handler that leaks.
    await h.ask({ type: 'whyMissing', site: ACME, query: CLIENT_SECRET });
    expect(h.leakedSecrets()).toEqual([CLIENT_SECRET]);
  });
});
