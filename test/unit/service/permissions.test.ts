// @vitest-environment node
/** An account that may use Confluence but not view groups (demo `viewer@acme.test`). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME, groupId, startHarness, VIEWER_EMAIL, VIEWER_TOKEN, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

describe('403 on groups', () => {
  it('listGroups answers an error about permission, and the connection records it', async () => {
    await h.connectApiToken('acme', VIEWER_EMAIL, VIEWER_TOKEN);
    const answer = await h.fail({ type: 'listGroups', site: ACME });
    expect(answer.error).toMatch(/permission/i);
    expect(answer.error).toContain('view groups');
    const [site] = (await h.ok({ type: 'getState' })).sites;
    // A permission problem is not a revoked connection.
    expect(site).toMatchObject({ status: 'connected', lastError: answer.error });
  });

  it('gives the same permission error over OAuth when the consenting account cannot view groups', async () => {
    h.fake.state.oauthUser = VIEWER_EMAIL;
    await h.connectOAuth();
    const answer = await h.fail({ type: 'listGroups', site: ACME });
    expect(answer.error).toMatch(/Permission denied .*view groups/);
    expect((await h.ok({ type: 'getState' })).sites[0]?.status).toBe('connected');
  });

  it('after a sync fails on groups, diagnostics says the account cannot read groups', async () => {
    // Groups are known from an admin connection; then the site is reconnected as the viewer.
    await h.connectApiToken();
    const admins = groupId(h.fake, 'confluence-admins-acme');
    await h.selectAndSync(ACME, [admins]);
    const rows = (await h.rows(ACME)).length;
    await h.connectApiToken('acme', VIEWER_EMAIL, VIEWER_TOKEN);

    expect(await h.ok({ type: 'syncNow', site: ACME })).toEqual({ started: [ACME] });
    await h.service.idle(ACME);

    const diagnostics = await h.ok({ type: 'getDiagnostics', site: ACME });
    expect(diagnostics.connectedAs).toBe('Vic Viewer');
    expect(diagnostics.history[0]).toMatchObject({ status: 'failed' });
    const problem = diagnostics.problems.find((p) => p.startsWith('Cannot read groups: '));
    expect(problem).toMatch(/permission/i);
    expect((await h.ok({ type: 'getState' })).sites[0]?.status).toBe('connected');
    // The failed run changed nothing in the review.
    expect((await h.rows(ACME))).toHaveLength(rows);
  });
});
