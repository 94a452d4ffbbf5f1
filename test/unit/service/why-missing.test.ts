// @vitest-environment node
/** "Why is this account not in the review?" answered from the last sync. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioUser } from '../../fake-atlassian';
import { ACME, groupId, startHarness, type Harness } from './harness';

const MONITORED = 'engineering';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.connectApiToken();
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

/** Members of the monitored group matching `test`, from the fake's data. */
function monitored(test: (u: ScenarioUser) => boolean): ScenarioUser {
  const site = h.fake.state.site('acme');
  const ids = site.groupsById.get(groupId(h.fake, MONITORED))?.members ?? [];
  const user = ids.map((id) => site.usersById.get(id) as ScenarioUser).find(test);
  if (!user) throw new Error(`the demo's ${MONITORED} has no such member`);
  return user;
}

describe('whyMissing', () => {
  it('says to sync first when nothing was synced', async () => {
    const answer = await h.ok({ type: 'whyMissing', site: ACME, query: 'anyone@acme.test' });
    expect(answer).toMatchObject({ verdict: 'not_found', account: null });
    expect(answer.explanation).toContain('run a sync first');
  });

  describe('after a sync of one group', () => {
    beforeEach(async () => {
      await h.selectAndSync(ACME, [groupId(h.fake, MONITORED)]);
    });

    it('an app account is filtered as an app', async () => {
      const app = monitored((u) => u.accountType === 'app');
      const answer = await h.ok({ type: 'whyMissing', site: ACME, query: app.accountId });
      expect(answer.verdict).toBe('filtered_app');
      expect(answer.account?.accountId).toBe(app.accountId);
      expect(answer.explanation).toContain('app/bot account');
      expect(answer.explanation).toContain(MONITORED);
    });

    it('an inactive account is filtered as inactive, naming the signal that said so', async () => {
      const gone = monitored((u) => u.accountType === 'atlassian' && u.accountStatus !== 'active');
      const answer = await h.ok({ type: 'whyMissing', site: ACME, query: gone.accountId });
      expect(answer.verdict).toBe('filtered_inactive');
      expect(answer.account?.statusSignal).toBe(`users-bulk accountStatus "${gone.accountStatus}"`);
      expect(answer.explanation).toContain(`users-bulk accountStatus "${gone.accountStatus}"`);
    });

    it('an account only in groups that are not monitored is not found, and the answer says why', async () => {
      const site = h.fake.state.site('acme');
      const inMonitored = new Set(site.groupsById.get(groupId(h.fake, MONITORED))?.members);
      const outsider = site.site.groups
        .flatMap((g) => g.members)
        .map((id) => site.usersById.get(id) as ScenarioUser)
        .find((u) => !inMonitored.has(u.accountId) && u.email);
      expect(outsider).toBeDefined();
      const answer = await h.ok({ type: 'whyMissing', site: ACME, query: outsider?.email ?? '' });
      expect(answer).toMatchObject({ verdict: 'not_found', account: null });
      expect(answer.explanation).toContain('1 monitored group(s)');
      expect(answer.explanation).toContain('in a group you do not monitor');
    });

    it('an account in the review is reported as such, found by email in any case', async () => {
      const member = monitored((u) => u.accountType === 'atlassian' && u.accountStatus === 'active' && !!u.email);
      const answer = await h.ok({ type: 'whyMissing', site: ACME, query: (member.email ?? '').toUpperCase() });
      expect(answer.verdict).toBe('in_review');
      expect(answer.account?.accountId).toBe(member.accountId);
      expect(answer.explanation).toContain(MONITORED);
    });
  });
});
