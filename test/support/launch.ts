/**
 * Launches Chromium with the built extension and the host mapping that sends Atlassian's real
 * hostnames to the local fake (../shared/toolchain.md, option B). Shared by the e2e fixture,
 * the demo and the benchmarks.
 */
import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_BASE_ARGS, findChromium } from './chromium';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const EXTENSION_PATH = path.join(REPO_ROOT, '.output/chrome-mv3');

export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  serviceWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export async function launchExtension(opts: { hostResolverRules: string; headless?: boolean }): Promise<LaunchedExtension> {
  if (!fs.existsSync(path.join(EXTENSION_PATH, 'manifest.json'))) {
    throw new Error(`The extension is not built (${EXTENSION_PATH} is missing). Run: npx wxt build`);
  }
  const executablePath = await findChromium();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-lens-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: opts.headless ?? true,
    viewport: { width: 1280, height: 900 },
    args: [
      ...CHROMIUM_BASE_ARGS,
      `--disable-extensions-except=${EXTENSION_PATH}`,
      `--load-extension=${EXTENSION_PATH}`,
      `--host-resolver-rules=${opts.hostResolverRules}`,
      '--ignore-certificate-errors',
    ],
  });
  const serviceWorker = async (): Promise<Worker> => {
    const live = context.serviceWorkers().filter((w) => w.url().startsWith('chrome-extension://'));
    return live.at(-1) ?? (await context.waitForEvent('serviceworker'));
  };
  const extensionId = new URL((await serviceWorker()).url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
