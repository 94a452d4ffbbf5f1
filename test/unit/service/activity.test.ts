// @vitest-environment node
/**
 * Last activity and 2SV in the review (issue 11): a user export imported through the background,
 * and the organisation API phase that runs after a sync — rate limits, pauses, resumption, and the
 * key going nowhere but api.atlassian.com/admin.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseUserExport } from '../../../lib/activity/user-export';
import type { ReviewRow } from '../../../lib/model';
import { withOrganisation, userExportFor } from '../../fake-atlassian/user-export';
import type { Scenario } from '../../fake-atlassian';
import { ACME, demoScenario, groupId, startHarness, type Harness } from './harness';

const TODAY = new Date().toISOString().slice(0, 10);
const ORG_ID = 'c0ffee00-0000-4000-8000-000000000001';
const ORG_KEY = 'ATCTT3xFfGN0-acme-org-key-for-tests';

function orgScenario(): Scenario {
  return withOrganisation(demoScenario(), { today: TODAY, orgId: ORG_ID, apiKey: ORG_KEY });
}

let h: Harness;
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  expect(h.leakedSecrets().concat(h.knownSecrets()).length).toBeGreaterThan(0);
  await h.close();
});

/**
 * The export tests sync the big groups (hundreds of accounts); the API-phase tests a few small
 * ones (about 25 accounts, dormant and admin ones among them), since the admin API allows about
 * 180 requests a minute.
 */
async function connectAndSync(scenario: Scenario, groups = ['confluence-users-acme', 'confluence-admins-acme']): Promise<void> {
  h = await startHarness({ scenario });
  await h.connectApiToken();
  await h.selectAndSync(ACME, groups.map((g) => groupId(h.fake, g)));
}
const SMALL_GROUPS = ['confluence-admins-acme', 'confluence-guests-acme', 'marketing'];

const flagged = (rows: ReviewRow[], flag: string) => rows.filter((r) => r.flags.some((f) => f.flag === flag));

describe('the admin user export', () => {
  it('brings dormant and admin_without_2sv into the review, the counts and the export', async () => {
    const scenario = orgScenario();
    await connectAndSync(scenario);
    const csv = userExportFor(scenario, scenario.organisation!, { shape: 'managed-accounts' });
    const parsed = parseUserExport(csv, { siteName: 'acme', fileName: `managed-accounts-${TODAY}.csv` });
    expect(parsed.errors).toEqual([]);
    await h.ok({ type: 'importUserExport', site: ACME, meta: parsed.meta!, accounts: parsed.accounts });
    await h.service.idle();
    const audit = await h.ok({ type: 'listAudit', site: ACME, kind: 'activity_import', limit: 10 });
    expect(audit.entries.map((e) => e.details)).toEqual([
      expect.objectContaining({ fileName: `managed-accounts-${TODAY}.csv`, accounts: parsed.accounts.length, dataDate: parsed.meta!.dataDate }),
    ]);

    const rows = await h.rows(ACME);
    const dormant = flagged(rows, 'dormant');
    const noMfa = flagged(rows, 'admin_without_2sv');
    expect(dormant.length).toBeGreaterThan(0);
    expect(noMfa.length).toBeGreaterThan(0);
    // Every flag is explained with its date and source; only accounts in the review are flagged.
    for (const r of dormant) {
      expect(r.account.filteredReason).toBeNull();
      expect(r.flags.find((f) => f.flag === 'dormant')?.explanation).toMatch(/per the managed-accounts export of \d+ \w{3} \d{4}$/);
    }
    for (const r of noMfa) {
      expect(r.activity.mfa?.value).toBe('off');
      expect(r.account.role === 'admin' || r.account.groups.some((g) => /admin/.test(g.name))).toBe(true);
    }
    const state = await h.ok({ type: 'getState' });
    expect(state.sites[0]?.counts).toMatchObject({ dormant: dormant.length, admin_without_2sv: noMfa.length });

    const { text } = await h.ok({ type: 'exportReview', site: ACME, format: 'csv' });
    const header = text.split('\r\n')[0]!.split(',');
    expect(header.slice(-4)).toEqual(['decision', 'note', 'last_active', 'mfa']);
    const withDate = rows.find((r) => typeof r.activity.lastActive?.value === 'string' && r.activity.lastActive.value !== 'never')!;
    expect(text).toContain(`,${withDate.activity.lastActive!.value},`);

    const status = await h.ok({ type: 'getActivityStatus', site: ACME });
    expect(status.userExport).toMatchObject({ fileName: `managed-accounts-${TODAY}.csv`, shape: 'managed-accounts', dataDate: TODAY });
  });

  it('a refused import keeps the previous one', async () => {
    const scenario = orgScenario();
    await connectAndSync(scenario);
    const parsed = parseUserExport(userExportFor(scenario, scenario.organisation!, { shape: 'user-management' }), { siteName: 'acme', fileName: 'users.csv' });
    expect(parsed.errors).toEqual([]);
    await h.ok({ type: 'importUserExport', site: ACME, meta: parsed.meta!, accounts: parsed.accounts });
    const before = await h.ok({ type: 'getActivityStatus', site: ACME });

    const twice = [...parsed.accounts, parsed.accounts[0]!];
    expect((await h.fail({ type: 'importUserExport', site: ACME, meta: { ...parsed.meta!, fileName: 'bad.csv' }, accounts: twice })).error).toMatch(/twice/);
    expect((await h.fail({ type: 'importUserExport', site: ACME, meta: { ...parsed.meta!, fileName: 'bad.csv' }, accounts: [{ ...parsed.accounts[0]!, lastActive: '14 Dec 2023' as never }] })).error).toMatch(/^Invalid request: accounts\.0\.lastActive/);
    expect(await h.ok({ type: 'getActivityStatus', site: ACME })).toEqual(before);
  });
});

describe('the organisation API phase', () => {
  const connectAndSyncSmall = (scenario: Scenario) => connectAndSync(scenario, SMALL_GROUPS);
  it('runs after a sync once a key is saved, and sends the key only to api.atlassian.com/admin', async () => {
    await connectAndSyncSmall(orgScenario());
    await h.ok({ type: 'saveOrgKey', orgId: ORG_ID, apiKey: ORG_KEY });
    await h.service.idle();
    const status = await h.ok({ type: 'getActivityStatus', site: ACME });
    expect(status.orgKey).toMatchObject({ orgId: ORG_ID });
    expect(JSON.stringify(status)).not.toContain(ORG_KEY);
    expect(status.phase).toMatchObject({ status: 'done', error: null });
    expect(status.phase!.done).toBeGreaterThan(0);

    const rows = await h.rows(ACME);
    expect(rows.filter((r) => r.activity.lastActive?.source.kind === 'org-api').length).toBeGreaterThan(0);
    expect(flagged(rows, 'dormant').length).toBeGreaterThan(0);

    const withKey = h.sent.filter((r) => r.authorization?.includes(ORG_KEY));
    expect(withKey.length).toBeGreaterThan(0);
    for (const r of withKey) expect(r.url).toMatch(/^https:\/\/api\.atlassian\.com\/admin\//);
    expect(h.sent.filter((r) => r.url.includes(ORG_KEY))).toEqual([]);

    // A second sync the same day sends no admin request: each account at most daily.
    const adminRequests = h.sent.filter((r) => r.url.startsWith('https://api.atlassian.com/admin/')).length;
    await h.ok({ type: 'syncNow', site: ACME });
    await h.service.idle();
    expect(h.sent.filter((r) => r.url.startsWith('https://api.atlassian.com/admin/')).length).toBe(adminRequests);
  });

  it('waits out short 429s and completes', async () => {
    await connectAndSyncSmall(orgScenario());
    h.fake.admin.setRateLimit({ limit: 6, windowMs: 1500 });
    await h.ok({ type: 'saveOrgKey', orgId: ORG_ID, apiKey: ORG_KEY });
    await h.service.idle();
    expect((await h.ok({ type: 'getActivityStatus', site: ACME })).phase).toMatchObject({ status: 'done' });
    expect(h.fake.log.entries.filter((e) => e.host === 'api.atlassian.com' && e.status === 429).length).toBeGreaterThan(0);
  });

  it('an hour-long rate limit pauses the run with an alarm; the alarm resumes it where it stopped', async () => {
    await connectAndSyncSmall(orgScenario());
    h.fake.admin.setRateLimit({ limit: 10, windowMs: 3_600_000 });
    await h.ok({ type: 'saveOrgKey', orgId: ORG_ID, apiKey: ORG_KEY });
    await h.service.idle();
    const paused = (await h.ok({ type: 'getActivityStatus', site: ACME })).phase!;
    expect(paused.status).toBe('paused');
    expect(paused.done).toBeGreaterThan(0);
    expect(paused.done).toBeLessThan(paused.total);
    const alarm = h.activityAlarms.filter((a) => a.site === ACME).at(-1);
    expect(alarm?.at).toBe(Date.parse(paused.resumeAt!));
    expect(alarm!.at! - Date.now()).toBeGreaterThan(30 * 60_000);

    h.fake.admin.setRateLimit({ limit: 200, windowMs: 60_000 });
    h.advance(alarm!.at! - Date.now() + 1000);
    h.service.onActivityAlarm(ACME);
    await h.service.idle();
    const done = (await h.ok({ type: 'getActivityStatus', site: ACME })).phase!;
    expect(done.status).toBe('done');
    // No account was asked for twice.
    const lastActive = h.fake.log.entries.filter((e) => e.path.endsWith('/last-active-dates') && e.status === 200).map((e) => e.path);
    expect(lastActive.length).toBe(new Set(lastActive).size);
  });

  it('"Forget key" removes it and stops using it; what was fetched stays', async () => {
    await connectAndSyncSmall(orgScenario());
    await h.ok({ type: 'saveOrgKey', orgId: ORG_ID, apiKey: ORG_KEY });
    await h.service.idle();
    await h.ok({ type: 'forgetOrgKey' });
    expect((await h.ok({ type: 'getActivityStatus', site: ACME })).orgKey).toBeNull();
    // Saving and forgetting the key are in the audit log, with the organisation but never the key.
    await h.service.idle();
    const { entries } = await h.ok({ type: 'listAudit', site: ACME, kind: 'org_key', limit: 10 });
    expect(entries.map((e) => e.details)).toEqual([
      { action: 'forgotten', orgId: ORG_ID },
      expect.objectContaining({ action: 'saved', orgId: ORG_ID }),
    ]);
    expect(JSON.stringify((await h.ok({ type: 'listAudit', site: ACME, limit: 500 })).entries)).not.toContain(ORG_KEY);
    expect((await h.fail({ type: 'fetchActivityNow', site: ACME })).error).toBe('Save an organization API key first.');
    expect((await h.rows(ACME)).some((r) => r.activity.lastActive?.source.kind === 'org-api')).toBe(true);
  });

  it('refuses a malformed key or organization id before storing anything', async () => {
    await connectAndSyncSmall(orgScenario());
    expect((await h.fail({ type: 'saveOrgKey', orgId: 'not an id', apiKey: ORG_KEY })).error).toMatch(/Organization ID is not valid/);
    expect((await h.fail({ type: 'saveOrgKey', orgId: ORG_ID, apiKey: 'has spaces in it' })).error).toMatch(/characters a key cannot have/);
    expect((await h.ok({ type: 'getActivityStatus', site: ACME })).orgKey).toBeNull();
  });
});
