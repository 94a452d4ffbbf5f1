// @vitest-environment node
/**
 * OAuth token lifetime across syncs: refresh when expired, persist the rotated refresh token
 * (atlassian-api.md §1.4: reusing the old one after the 10-minute leeway revokes the grant),
 * and a grant revoked mid-sync (§1.7).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCredentials } from '../../../lib/store/credentials';
import { ACME, groupId, startHarness, type Harness } from './harness';

const MINUTE = 60_000;
const TOKEN_ENDPOINT = 'POST /oauth/token';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ accessTokenLifetimeSec: 5 * 60 });
  await h.connectOAuth();
  await h.selectAndSync(ACME, [groupId(h.fake, 'confluence-admins-acme'), groupId(h.fake, 'confluence-guests-acme')]);
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

async function storedRefreshToken(): Promise<string | null> {
  const creds = await getCredentials(await h.store(), ACME);
  return creds?.kind === 'oauth' ? creds.tokens.refreshToken : null;
}

async function syncAndWait(): Promise<void> {
  expect(await h.ok({ type: 'syncNow', site: ACME })).toEqual({ started: [ACME] });
  await h.service.idle(ACME);
}

async function lastRun() {
  return (await h.ok({ type: 'getDiagnostics', site: ACME })).history[0];
}

describe('token refresh', () => {
  it('refreshes an expired access token exactly once per sync and keeps the rotated refresh token', async () => {
    expect(h.fake.log.count(TOKEN_ENDPOINT)).toBe(1); // the code exchange
    const first = await storedRefreshToken();
    expect(first).toMatch(/^atl_rt_/);

    h.advance(6 * MINUTE); // the access token (5 minutes) has expired
    await syncAndWait();
    expect(await lastRun()).toMatchObject({ status: 'succeeded' });
    expect(h.fake.log.count(TOKEN_ENDPOINT)).toBe(2);
    const second = await storedRefreshToken();
    expect(second).not.toBe(first);

    // Past the old refresh token's 10-minute leeway: had the old one been kept, this refresh
    // would revoke the grant. It works, so the rotated token was saved.
    h.advance(11 * MINUTE);
    await syncAndWait();
    expect(await lastRun()).toMatchObject({ status: 'succeeded' });
    expect(h.fake.log.count(TOKEN_ENDPOINT)).toBe(3);
    expect(await storedRefreshToken()).not.toBe(second);
    expect((await h.ok({ type: 'getState' })).sites[0]).toMatchObject({ status: 'connected', lastError: null });
  });

  it('does not refresh while the access token is still valid', async () => {
    h.advance(2 * MINUTE);
    await syncAndWait();
    expect(h.fake.log.count(TOKEN_ENDPOINT)).toBe(1);
  });
});

describe('a grant revoked during a sync', () => {
  it('fails the run, marks the connection disconnected with a message, and keeps the last review', async () => {
    const before = { rows: await h.rows(ACME), lastSyncedAt: (await h.ok({ type: 'queryReview', site: ACME })).lastSyncedAt };
    const syncedAt = before.lastSyncedAt;
    expect(before.rows.length).toBeGreaterThan(0);

    // The 2nd product request of the next sync revokes every grant (§1.7): 401, then the refresh
    // answers 403 invalid_grant.
    h.fake.setFaults({ revokeAtRequest: 2 });
    await syncAndWait();

    const [site] = (await h.ok({ type: 'getState' })).sites;
    expect(site?.status).toBe('disconnected');
    expect(site?.lastError).toMatch(/Connect again/);
    expect(site?.lastSyncedAt).toBe(syncedAt);
    expect(h.scheduled.at(-1)).toEqual({ site: ACME, hours: null });
    expect(await lastRun()).toMatchObject({ status: 'failed', error: site?.lastError });

    const after = { rows: await h.rows(ACME), lastSyncedAt: (await h.ok({ type: 'queryReview', site: ACME })).lastSyncedAt };
    expect(after.rows.map((r) => r.account.accountId).sort()).toEqual(before.rows.map((r) => r.account.accountId).sort());
    expect(after.lastSyncedAt).toBe(syncedAt);
    expect((await h.ok({ type: 'getDiagnostics', site: ACME })).problems[0]).toMatch(/^Disconnected: /);

    // Connecting again (a new consent) brings the site back without losing anything.
    await h.connectOAuth();
    expect((await h.ok({ type: 'getState' })).sites[0]).toMatchObject({ status: 'connected', lastError: null, lastSyncedAt: syncedAt });
    await syncAndWait();
    expect(await lastRun()).toMatchObject({ status: 'succeeded' });
  });

  it('disconnects when the grant was revoked between syncs', async () => {
    h.fake.revokeAllGrants();
    await syncAndWait();
    expect((await h.ok({ type: 'getState' })).sites[0]?.status).toBe('disconnected');
    expect(await lastRun()).toMatchObject({ status: 'failed' });
  });
});
