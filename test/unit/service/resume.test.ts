// @vitest-environment node
/**
 * A service worker killed mid-sync: the next worker's `resumeInterrupted` finishes the run from its
 * checkpoint instead of starting over. The "killed" service's network simply never answers again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../lib/atlassian/http';
import { isError, type Request, type RequestType, type ResponseMap } from '../../../lib/messages';
import { createService, type Platform, type Service } from '../../../lib/service/service';
import { openStore } from '../../../lib/store';
import { startFakeAtlassian, type FakeAtlassian } from '../../fake-atlassian';
import { ACME, ADMIN_EMAIL, ADMIN_TOKEN, demoScenario, EXTENSION_ID, EXTENSION_ORIGIN, groupId, PAGE_SENDER, REDIRECT_URL } from './harness';

const MEMBERS = 'GET /wiki/rest/api/group/{groupId}/membersByGroupId';
const GROUPS = ['confluence-users-acme', 'jira-software-users'];

let fake: FakeAtlassian;
beforeEach(async () => {
  fake = await startFakeAtlassian({ scenario: demoScenario(), consent: 'auto', faults: { latencyMs: 20 } });
});
afterEach(() => fake.close());

function platform(fetch: FetchLike, alarms: boolean[]): Platform {
  return {
    fetch,
    redirectUrl: REDIRECT_URL,
    launchWebAuthFlow: async () => {
      throw new Error('not used');
    },
    broadcast: () => {},
    scheduleSync: async () => {},
    ensureSyncScheduled: async () => {},
    setResumeAlarm: async (on) => {
      alarms.push(on);
    },
    setActivityAlarm: async () => {},
    setPauseAlarm: async () => {},
    setToolbarBadge: async () => {},
    openSidePanel: async () => {},
    randomState: () => crypto.randomUUID(),
    now: () => new Date(),
    timeZone: 'UTC',
  };
}

/** Asks a service as an extension page does; fails the test on an `{ error }` answer. */
async function ask<T extends RequestType>(service: Service, req: Extract<Request, { type: T }>): Promise<ResponseMap[T]> {
  const answer = await service.dispatch(req, PAGE_SENDER);
  if (isError(answer)) throw new Error(`${req.type} failed: ${answer.error}`);
  return answer as ResponseMap[T];
}

const IDENTITY = { extensionId: EXTENSION_ID, origin: EXTENSION_ORIGIN };

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('timed out');
}

describe('resumeInterrupted', () => {
  it('finishes an interrupted sync from its checkpoint in a new worker', async () => {
    const dbName = crypto.randomUUID();
    let killed = false;
    let memberRequestsPassed = 0;
    const firstAlarms: boolean[] = [];
    // The worker dies as it sends its second member-page request: that one and every request
    // after it never get an answer. Counting here, not in the fake's log, makes the kill land
    // before later pages can be fetched ahead, however loaded the machine.
    const dying: FetchLike = (url, init) => {
      if (!killed && url.includes('/membersByGroupId') && ++memberRequestsPassed > 1) killed = true;
      return killed ? new Promise<Response>(() => {}) : fake.fetch(url, init);
    };
    const first: Service = createService(platform(dying, firstAlarms), () => openStore(dbName), IDENTITY);

    await ask(first, { type: 'connectApiToken', siteUrl: 'acme', email: ADMIN_EMAIL, apiToken: ADMIN_TOKEN });
    await ask(first, { type: 'listGroups', site: ACME });
    await ask(first, { type: 'saveGroups', site: ACME, groupIds: GROUPS.map((n) => groupId(fake, n)) });
    await waitFor(() => killed);
    // Let the one page that got through be answered and stored.
    const stored = async () => (await ask(first, { type: 'getDiagnostics', site: ACME })).history[0]?.groups.some((g) => g.members > 0) === true;
    for (let i = 0; i < 500 && !(await stored()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await stored()).toBe(true);
    expect(firstAlarms).toEqual([true]); // the resume alarm is still set: a new worker will wake
    const fetchedBeforeKill = fake.log.count(MEMBERS);
    expect(fetchedBeforeKill).toBe(1);

    const secondAlarms: boolean[] = [];
    const second = createService(platform((url, init) => fake.fetch(url, init), secondAlarms), () => openStore(dbName), IDENTITY);
    const midway = await ask(second, { type: 'getDiagnostics', site: ACME });
    expect(midway.history.map((r) => r.status)).toEqual(['running']);

    await second.resumeInterrupted();
    await second.idle(ACME);

    const diagnostics = await ask(second, { type: 'getDiagnostics', site: ACME });
    expect(diagnostics.history).toHaveLength(1);
    expect(diagnostics.history[0]).toMatchObject({ status: 'succeeded', trigger: 'groups-saved' });
    // The run succeeded with no error; its notes say it was resumed.
    expect(diagnostics.history[0]?.error).toBeNull();
    expect(diagnostics.history[0]?.notes).toEqual([expect.stringMatching(/^Resumed at /)]);
    expect(secondAlarms).toEqual([true, false]);

    // Pages stored before the kill were not fetched again.
    const site = fake.state.site('acme');
    const members = GROUPS.map((n) => site.groupsById.get(groupId(fake, n))?.members ?? []);
    const pages = members.reduce((sum, m) => sum + Math.ceil(m.length / 200), 0);
    expect(fetchedBeforeKill).toBeLessThan(pages);
    expect(fake.log.count(MEMBERS)).toBe(pages);

    const review = await ask(second, { type: 'queryReview', site: ACME, filter: 'review', limit: 500 });
    const filtered = await ask(second, { type: 'queryReview', site: ACME, filter: 'filtered', limit: 500 });
    expect([...review.rows, ...filtered.rows].map((r) => r.account.accountId).sort()).toEqual([...new Set(members.flat())].sort());
  });
});
