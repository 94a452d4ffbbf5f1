/**
 * Drives the real extension pages the way an admin does (labels and button names only), shared
 * by the e2e tests and the demo so both walk exactly the same path.
 */
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import type { ReviewQueryResponse } from '../../lib/messages';
import type { ReviewRow } from '../../lib/model';

export const DEMO = {
  siteUrl: 'https://acme.atlassian.net',
  otherSiteUrl: 'https://acme-labs.atlassian.net',
  clientId: 'acme-client-id',
  clientSecret: 'acme-client-secret',
  email: 'it-admin@acme.test',
  apiToken: 'acme-api-token',
};

export async function connectWithApiToken(
  options: Page,
  creds: { siteUrl: string; email: string; apiToken: string } = DEMO,
): Promise<void> {
  await options.getByRole('textbox', { name: 'Site URL' }).fill(creds.siteUrl);
  await options.getByRole('textbox', { name: 'Email' }).fill(creds.email);
  await options.getByRole('textbox', { name: 'API token' }).fill(creds.apiToken);
  await options.getByRole('button', { name: 'Connect with API token' }).click();
}

export async function connectWithOAuth(
  options: Page,
  creds: { siteUrl: string; clientId: string; clientSecret: string } = DEMO,
): Promise<void> {
  await options.getByRole('textbox', { name: 'Site URL' }).fill(creds.siteUrl);
  await options.getByRole('textbox', { name: 'Client ID' }).fill(creds.clientId);
  await options.getByRole('textbox', { name: 'Client secret' }).fill(creds.clientSecret);
  await options.getByRole('button', { name: 'Connect with Atlassian' }).click();
}

/** The group checkboxes of the picker, by accessible name → checked. */
export async function groupSelection(options: Page): Promise<Map<string, boolean>> {
  const boxes = options.getByRole('region', { name: /Groups/ }).getByRole('checkbox');
  await expect(boxes.first()).toBeVisible();
  const out = new Map<string, boolean>();
  for (const box of await boxes.all()) {
    const name = await box.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? el.getAttribute('aria-label') ?? '');
    out.set(name, await box.isChecked());
  }
  return out;
}

/** Waits until the background has no sync running (asks the worker itself). */
export async function waitForSyncIdle(worker: Worker): Promise<void> {
  await worker.evaluate(async () => {
    const g = globalThis as { accessLensIdle?: (site?: string) => Promise<void> };
    // A sync may be starting right now: give the message a moment to land, then wait.
    await new Promise((r) => setTimeout(r, 200));
    await g.accessLensIdle?.();
  });
}

/** Sends a request to the background from an extension page, as the UI does. */
export async function ask<T = unknown>(page: Page, request: Record<string, unknown>): Promise<T> {
  return page.evaluate((req) => chrome.runtime.sendMessage(req), request) as Promise<T>;
}

export async function importRoster(options: Page, file: string): Promise<void> {
  await options.getByLabel('Personnel roster').setInputFiles(file);
  const button = options.getByRole('button', { name: 'Import roster' });
  await expect(button).toBeEnabled();
  await button.click();
}

export async function openExtensionPage(context: BrowserContext, extensionId: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${name}.html`);
  return page;
}

/** Every row of a site's review (in review and filtered out), paged through `queryReview` as the side panel reads it. */
export async function reviewOf(page: Page, site: string): Promise<{ rows: ReviewRow[]; lastSyncedAt: string | null; caveats: string[] }> {
  const rows: ReviewRow[] = [];
  let lastSyncedAt: string | null = null;
  let caveats: string[] = [];
  for (const filter of ['review', 'filtered'] as const) {
    for (let offset = 0; ; ) {
      const answer = await ask<ReviewQueryResponse | { error: string }>(page, { type: 'queryReview', site, filter, sort: 'name', offset, limit: 500 });
      if ('error' in answer) throw new Error(`queryReview failed: ${answer.error}`);
      rows.push(...answer.rows);
      lastSyncedAt = answer.lastSyncedAt;
      caveats = answer.caveats;
      offset += answer.rows.length;
      if (offset >= answer.total || answer.rows.length === 0) break;
    }
  }
  return { rows, lastSyncedAt, caveats };
}

/**
 * Stops the extension's service worker the way Chrome does when it idles it out (CDP
 * ServiceWorker.stopWorker), and waits until it has stopped. Chromium may close the extension's
 * open pages with it: carry on from a newly opened page.
 */
export async function stopServiceWorker(context: BrowserContext, page: Page, extensionId: string): Promise<void> {
  const cdp = await context.newCDPSession(page);
  let versions: { versionId: string; scriptURL: string; runningStatus: string }[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    versions = e.versions;
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => versions.some((v) => v.scriptURL.includes(extensionId) && v.runningStatus === 'running')).toBe(true);
  const version = versions.find((v) => v.scriptURL.includes(extensionId) && v.runningStatus === 'running')!;
  await cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
  await expect.poll(() => versions.find((v) => v.versionId === version.versionId)?.runningStatus, { timeout: 20_000 }).toBe('stopped');
  await cdp.detach().catch(() => undefined);
}
