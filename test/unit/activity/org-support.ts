/**
 * Wiring the org API client to the fake: one clock for both, moved by the client's sleeps, so
 * rate-limit waits of a minute take no time.
 */
import { createOrgApi, type OrgApi, type OrgApiOptions, type OrgRequestEvent } from '../../../lib/activity/org-api';
import { createRateLimiter } from '../../../lib/activity/rate-limit';
import type { FetchLike } from '../../../lib/atlassian/http';
import type { FakeAtlassian } from '../../fake-atlassian';
import { ORG_ID, ORG_KEY } from '../fake-atlassian/admin-support';

export interface SharedClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every sleep the client asked for, in ms. */
  sleeps: number[];
}

export function sharedClock(fake: FakeAtlassian): SharedClock {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      sleeps.push(ms);
      offset += ms;
      fake.advanceClock(ms);
    },
    sleeps,
  };
}

export interface Wired {
  api: OrgApi;
  clock: SharedClock;
  events: OrgRequestEvent[];
  /** Every request as fetch saw it: URL and headers. */
  sent: { url: string; headers: Record<string, string> }[];
}

export function wire(fake: FakeAtlassian, { perMinute, ...options }: Partial<OrgApiOptions> & { perMinute?: number } = {}): Wired {
  const clock = sharedClock(fake);
  const events: OrgRequestEvent[] = [];
  const sent: Wired['sent'] = [];
  const fetch: FetchLike = (url, init) => {
    sent.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    return fake.fetch(url, init);
  };
  const api = createOrgApi({
    fetch,
    apiKey: ORG_KEY,
    orgId: ORG_ID,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    onRequest: (e) => events.push(e),
    ...options,
    limiter: options.limiter ?? createRateLimiter({ limit: perMinute ?? 180, now: clock.now, sleep: clock.sleep }),
  });
  return { api, clock, events, sent };
}
