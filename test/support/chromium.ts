/**
 * Finds a Chromium for the e2e tests and the demo: CHROMIUM_PATH, then the system's chromium, then
 * Playwright's own browser. When there is none, installs Debian's `chromium` where it can (root on
 * Debian) or explains exactly how to get one. Playwright cannot download its own browser here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'];

function isExecutable(p: string | undefined): p is string {
  if (!p) return false;
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function playwrightChromium(): Promise<string | null> {
  try {
    const { chromium } = await import('@playwright/test');
    const p = chromium.executablePath();
    return isExecutable(p) ? p : null;
  } catch {
    return null;
  }
}

function canInstallWithApt(): boolean {
  return process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && isExecutable('/usr/bin/apt-get');
}

export async function findChromium(opts: { install?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which is not an executable file.`);
  }
  const system = SYSTEM_CANDIDATES.find(isExecutable);
  if (system) return system;
  const bundled = await playwrightChromium();
  if (bundled) return bundled;
  if (opts.install !== false && canInstallWithApt()) {
    log('No Chromium found: installing Debian\'s chromium package (apt-get install chromium)…');
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(
    [
      'No Chromium browser found. Any one of these fixes it:',
      '  • Debian/Ubuntu: sudo apt-get install chromium   (then run the command again)',
      '  • set CHROMIUM_PATH=/path/to/chromium-or-chrome',
      '  • npx playwright install chromium   (needs access to Playwright\'s download CDN)',
    ].join('\n'),
  );
}

/** Flags every launch needs on a machine with a closed network and no GPU. */
export const CHROMIUM_BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
