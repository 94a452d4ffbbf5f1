// @vitest-environment node
/** The content script's one question: which synced account is this Atlassian page about? */
import { afterEach, beforeAll, describe, expect, it, afterAll } from 'vitest';
import type { ScenarioUser } from '../../fake-atlassian';
import { ACME, groupId, startHarness, type Harness } from './harness';

let h: Harness;
let member: ScenarioUser;
beforeAll(async () => {
  h = await startHarness();
  await h.connectApiToken();
  await h.selectAndSync(ACME, [groupId(h.fake, 'confluence-admins-acme')]);
  const site = h.fake.state.site('acme');
  const id = site.groupsById.get(groupId(h.fake, 'confluence-admins-acme'))?.members[0] ?? '';
  member = site.usersById.get(id) as ScenarioUser;
});
afterEach(() => {
  expect(h.leakedSecrets()).toEqual([]);
});
afterAll(() => h.close());

describe('pageContext', () => {
  it('returns the row of the account a Confluence profile page shows', async () => {
    const answer = await h.ok({ type: 'pageContext', url: `${ACME}/wiki/people/${member.accountId}` });
    expect(answer.site).toBe(ACME);
    expect(answer.accountId).toBe(member.accountId);
    expect(answer.row?.account.accountId).toBe(member.accountId);
    expect(answer.row?.account.groups.map((g) => g.name)).toContain('confluence-admins-acme');
  });

  it('accepts the percent-encoded colon of new-style account ids', async () => {
    expect(member.accountId).toContain(':');
    const url = `${ACME}/wiki/people/${encodeURIComponent(member.accountId)}?ref=x`;
    expect((await h.ok({ type: 'pageContext', url })).row?.account.accountId).toBe(member.accountId);
  });

  it('finds the account from an admin.atlassian.com user page', async () => {
    const answer = await h.ok({ type: 'pageContext', url: `https://admin.atlassian.com/o/org-1/users/${member.accountId}` });
    expect(answer).toMatchObject({ site: ACME, accountId: member.accountId });
    expect(answer.row?.account.accountId).toBe(member.accountId);
  });

  it('gives nothing for a site that is not connected, even for an account synced elsewhere', async () => {
    for (const host of ['globex.atlassian.net', 'acme-labs.atlassian.net']) {
      const answer = await h.ok({ type: 'pageContext', url: `https://${host}/wiki/people/${member.accountId}` });
      expect(answer.site).toBeNull();
      expect(answer.row).toBeNull();
    }
  });

  it('gives nulls for pages that are not about an account', async () => {
    for (const url of [`https://example.com/wiki/people/${member.accountId}`, `${ACME}/wiki/spaces/ENG`, `http://acme.atlassian.net/wiki/people/${member.accountId}`]) {
      expect(await h.ok({ type: 'pageContext', url })).toEqual({ site: null, accountId: null, row: null });
    }
  });

  it('knows the site but has no row for an account that was not synced', async () => {
    const answer = await h.ok({ type: 'pageContext', url: `${ACME}/wiki/people/5b10ac8d82e05b22cc7d4e00` });
    expect(answer).toEqual({ site: ACME, accountId: '5b10ac8d82e05b22cc7d4e00', row: null });
  });
});
