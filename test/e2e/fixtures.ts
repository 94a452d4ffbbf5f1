/// <reference types="chrome" />
/**
 * Each test gets its own fake Atlassian Cloud and its own Chromium with the built extension,
 * the Atlassian hostnames mapped to the fake. Override the fake per file with
 * `test.use({ fakeOptions: { … } })`.
 */
import { test as base, type BrowserContext, type Page, type Worker } from '@playwright/test';
import {
  loadScenario,
  startFakeAtlassian,
  type FakeAtlassian,
  type FakeAtlassianOptions,
} from '../fake-atlassian/index';
import { launchExtension, type LaunchedExtension } from '../support/launch';

export interface Fixtures {
  fakeOptions: Partial<FakeAtlassianOptions>;
  fake: FakeAtlassian;
  extension: LaunchedExtension;
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** Opens one of the extension's pages in a tab. */
  openPage: (name: 'popup' | 'sidepanel' | 'options') => Promise<Page>;
}

export const test = base.extend<Fixtures>({
  fakeOptions: [{}, { option: true }],
  fake: async ({ fakeOptions }, use) => {
    const fake = await startFakeAtlassian({ scenario: loadScenario('demo'), consent: 'auto', ...fakeOptions });
    await use(fake);
    await fake.close();
  },
  extension: async ({ fake }, use) => {
    const ext = await launchExtension({ hostResolverRules: fake.hostResolverRules });
    await use(ext);
    await ext.close();
  },
  context: async ({ extension }, use) => use(extension.context),
  extensionId: async ({ extension }, use) => use(extension.extensionId),
  serviceWorker: async ({ extension }, use) => use(await extension.serviceWorker()),
  openPage: async ({ context, extensionId }, use) => {
    await use(async (name) => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${name}.html`);
      return page;
    });
  },
});

export const expect = test.expect;
