/**
 * The background's real runtime listener (entrypoints/background/wire.ts) driven through WXT's
 * fakeBrowser: messages in, answers out, refusals for senders and requests it must not serve.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startBackground } from '@/entrypoints/background/wire';
import type { Platform } from '@/lib/service/service';
import { openStore } from '@/lib/store';
import type { Store } from '@/lib/store/schema';

const OWN_ORIGIN = `chrome-extension://${fakeBrowser.runtime.id}/`;
const PAGE = { id: fakeBrowser.runtime.id, url: `${OWN_ORIGIN}popup.html` };
const ATLASSIAN_URL = 'https://acme.atlassian.net/wiki/people/5b10ac8d82e05b22cc7d4ef5';
const CONTENT = { id: fakeBrowser.runtime.id, url: ATLASSIAN_URL, tab: { id: 4, url: ATLASSIAN_URL } };

const platform: Platform = {
  fetch: async () => {
    throw new Error('no network in this test');
  },
  redirectUrl: 'https://poaokbhmjpleenafkjpmagkbbkbbilfk.chromiumapp.org/',
  launchWebAuthFlow: async () => {
    throw new Error('not used');
  },
  broadcast: () => {},
  scheduleSync: async () => {},
  ensureSyncScheduled: async () => {},
  setResumeAlarm: async () => {},
  setActivityAlarm: async () => {},
  setPauseAlarm: async () => {},
  setToolbarBadge: async () => {},
  openSidePanel: async () => {},
  randomState: () => 'state',
  now: () => new Date('2026-12-01T12:00:00Z'),
  timeZone: 'UTC',
};

let store: Promise<Store>;
let started: Promise<void>;
beforeEach(() => {
  fakeBrowser.reset();
  store = openStore(`wire-${crypto.randomUUID()}`);
  ({ started } = startBackground(fakeBrowser, { platform, openStore: () => store }));
});
afterEach(async () => {
  await started;
  (await store).close();
});

/** Fires runtime.onMessage like Chrome does and resolves with what the listener answered. */
async function send(message: unknown, sender: object): Promise<{ async: boolean; answer: unknown }> {
  let answer: unknown;
  const answered = new Promise<void>((resolve) => {
    const results = fakeBrowser.runtime.onMessage.trigger(message, sender, (a: unknown) => {
      answer = a;
      resolve();
    });
    void results.then((r: unknown[]) => {
      if (!r.includes(true)) resolve();
    });
  });
  await answered;
  return { async: answer !== undefined, answer };
}

describe('the runtime listener', () => {
  it('answers an extension page', async () => {
    const { answer } = await send({ type: 'getState' }, PAGE);
    expect(answer).toEqual({ sites: [], roster: null, graceDays: 3, dormantDays: 90, reviewEveryDays: 90, remediationDueDays: 14, callbackUrl: platform.redirectUrl });
  });

  it('lets the content script ask for its page\'s badges, and nothing else', async () => {
    expect((await send({ type: 'pageBadges', accountIds: ['5b10ac8d82e05b22cc7d4ef5'] }, CONTENT)).answer).toEqual({ badges: [] });
    expect((await send({ type: 'getState' }, CONTENT)).answer).toEqual({ error: 'Refused: content scripts may not send "getState"' });
    expect((await send({ type: 'disconnect', site: 'https://acme.atlassian.net', deleteData: true }, CONTENT)).answer).toEqual({
      error: 'Refused: content scripts may not send "disconnect"',
    });
  });

  it('refuses other extensions and unknown senders before looking at the request', async () => {
    const other = { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/popup.html' };
    expect((await send({ type: 'getState' }, other)).answer).toEqual({ error: 'Refused: message from another extension' });
    expect((await send({ type: 'getState' }, { id: fakeBrowser.runtime.id, url: 'https://evil.example/' })).answer).toEqual({
      error: 'Refused: unknown sender',
    });
  });

  it('answers an invalid or unknown request with an error naming the problem', async () => {
    expect((await send({ type: 'setMark', site: 'x', accountId: '', mark: null }, PAGE)).answer).toEqual({
      error: expect.stringMatching(/^Invalid request: accountId: /),
    });
    for (const type of ['noSuchRequest', 'constructor', '__proto__', 'toString']) {
      expect((await send({ type }, PAGE)).answer).toEqual({ error: `Invalid request: unknown type "${type}"` });
    }
    for (const message of [null, 'getState', 42, { type: 7 }]) {
      expect((await send(message, PAGE)).answer).toMatchObject({ error: expect.stringMatching(/^Invalid request: unknown type/) });
    }
  });

  it('stays silent on its own broadcasts (they are for the pages)', async () => {
    for (const message of [{ type: 'stateChanged', site: null }, { type: 'syncProgress', site: 'x', progress: {} }]) {
      const results = await fakeBrowser.runtime.onMessage.trigger(message, PAGE, () => {
        throw new Error('a broadcast must not be answered');
      });
      expect(results).toEqual([false]);
    }
  });

  it('a failing handler answers { error } instead of throwing', async () => {
    expect((await send({ type: 'listGroups', site: 'https://acme.atlassian.net' }, PAGE)).answer).toEqual({
      error: 'https://acme.atlassian.net is not connected.',
    });
  });
});
