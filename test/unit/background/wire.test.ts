/**
 * The background's real runtime listener (entrypoints/background/wire.ts) driven through WXT's
 * fakeBrowser: messages in, answers out, refusals for senders and requests it must not serve.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { evidenceFetchHandler, startBackground } from '@/entrypoints/background/wire';
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

describe('the evidence fetch handler', () => {
  const ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, 1, 2, 3]);
  const ID = '3f2a9c4e-1b7d-4e8a-9c3b-5d6e7f8a9b0c';
  const clients: Record<string, string> = { side: `${OWN_ORIGIN}sidepanel.html`, web: 'https://acme.atlassian.net/wiki/home', other: 'chrome-extension://someoneelse/page.html' };

  function setup() {
    let prepared: { fileName: string; zip: Uint8Array } | null = { fileName: 'access-review-acme-2026-12-01.zip', zip: ZIP };
    const taken: string[] = [];
    const handler = evidenceFetchHandler(
      {
        takeEvidence: (id) => {
          taken.push(id);
          const pkg = id === ID ? prepared : null;
          prepared = null;
          return pkg;
        },
      },
      OWN_ORIGIN,
      async (clientId) => clients[clientId] ?? null,
    );
    /** Fires a fetch event; resolves with the response, or null when the handler left it to the browser. */
    const fire = (url: string, clientId: string, method = 'GET'): Promise<Response | null> => {
      let answer: Promise<Response> | null = null;
      handler({ request: new Request(url, { method }), clientId, respondWith: (r) => (answer = r) });
      return answer ?? Promise.resolve(null);
    };
    return { fire, taken };
  }

  it('serves a prepared package once, as bytes, to the extension’s own page', async () => {
    const { fire } = setup();
    const first = await fire(`${OWN_ORIGIN}evidence/${ID}.zip`, 'side');
    expect(first?.status).toBe(200);
    expect(first?.headers.get('content-type')).toBe('application/zip');
    expect(new Uint8Array(await first!.arrayBuffer())).toEqual(ZIP);
    const second = await fire(`${OWN_ORIGIN}evidence/${ID}.zip`, 'side');
    expect(second?.status).toBe(404);
    expect(await second!.text()).toMatch(/no longer available/);
  });

  it('refuses web pages, other extensions, unknown clients and other methods, without giving the package away', async () => {
    const { fire, taken } = setup();
    for (const client of ['web', 'other', 'gone', '']) {
      const answer = await fire(`${OWN_ORIGIN}evidence/${ID}.zip`, client);
      expect(answer?.status, client).toBe(403);
    }
    expect((await fire(`${OWN_ORIGIN}evidence/${ID}.zip`, 'side', 'POST'))?.status).toBe(405);
    expect(taken).toEqual([]);
    // Still there for the page it was prepared for.
    expect((await fire(`${OWN_ORIGIN}evidence/${ID}.zip`, 'side'))?.status).toBe(200);
  });

  it('answers 404 to a malformed id and leaves every other request to the browser', async () => {
    const { fire, taken } = setup();
    expect((await fire(`${OWN_ORIGIN}evidence/../popup.html`, 'side'))?.status ?? 'browser').toBe('browser');
    expect((await fire(`${OWN_ORIGIN}evidence/not-an-id.zip`, 'side'))?.status).toBe(404);
    expect(taken).toEqual([]);
    expect(await fire(`${OWN_ORIGIN}sidepanel.html`, 'side')).toBeNull();
    expect(await fire('https://acme.atlassian.net/evidence/x.zip', 'side')).toBeNull();
    expect(await fire(`chrome-extension://someoneelse/evidence/${ID}.zip`, 'side')).toBeNull();
  });
});
