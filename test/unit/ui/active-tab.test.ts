import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { watchActiveTabUrl } from '@/components/activeTab';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('watchActiveTabUrl', () => {
  beforeEach(() => fakeBrowser.reset());

  it('reports the active tab now, on activation and on navigation, until stopped', async () => {
    const win = (await fakeBrowser.windows.create({ focused: true }))!;
    const first = await fakeBrowser.tabs.create({ windowId: win.id, url: 'https://acme.atlassian.net/wiki/people/5b10ac8d82e05b22cc7d4ef5', active: true });
    const urls: (string | null)[] = [];
    const stop = watchActiveTabUrl((url) => urls.push(url));
    await until(() => urls.length >= 1);
    expect(urls).toEqual(['https://acme.atlassian.net/wiki/people/5b10ac8d82e05b22cc7d4ef5']);

    // Creating an active tab fires tabs.onActivated.
    await fakeBrowser.tabs.create({ windowId: win.id, url: 'https://example.com/', active: true });
    await until(() => urls.length >= 2);
    expect(urls.at(-1)).toBe('https://example.com/');

    stop();
    const count = urls.length;
    await fakeBrowser.tabs.onActivated.trigger({ tabId: first.id!, windowId: win.id! });
    await new Promise((r) => setTimeout(r, 20));
    expect(urls.length).toBe(count);
  });

  it('reports null when the tab URL cannot be read', async () => {
    const urls: (string | null)[] = [];
    // No focused window: the query fails, which must not break the panel.
    const stop = watchActiveTabUrl((url) => urls.push(url));
    await until(() => urls.length >= 1);
    stop();
    expect(urls).toEqual([null]);
  });
});
