// @vitest-environment node
/**
 * SECURITY.md's boundaries, checked on the source: pages and the content script never import the
 * modules that read credentials, and the content script may send only its two requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requests } from '../../../lib/service/requests';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(rel);
    return /\.(ts|tsx)$/.test(e.name) ? [rel] : [];
  });
}

/** Files bundled into pages or the content script (everything but the background). */
const PAGE_FILES = [...filesUnder('components'), ...filesUnder('entrypoints')].filter((f) => !f.startsWith(path.join('entrypoints', 'background')));
const CREDENTIAL_MODULES = [/lib\/store\/credentials['"]/, /lib\/store\/activity['"]/, /lib\/service\//, /lib\/atlassian\/token-manager['"]/];

describe('security boundaries', () => {
  it('found the page sources to check', () => {
    expect(PAGE_FILES.some((f) => f.endsWith(path.join('entrypoints', 'atlassian.content.ts')))).toBe(true);
    expect(PAGE_FILES.length).toBeGreaterThan(20);
  });

  it.each(PAGE_FILES)('%s imports no module that reads credentials or the background service', (file) => {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    // `import type` is erased from the bundle: only value imports matter.
    const imports = source.match(/^import (?!type )[^;]*;/gm) ?? [];
    for (const line of imports) for (const forbidden of CREDENTIAL_MODULES) expect(line).not.toMatch(forbidden);
  });

  it('a content script may send only pageBadges and openPanel', () => {
    const fromContent = Object.entries(requests).filter(([, def]) => (def.from as readonly string[]).includes('content')).map(([type]) => type);
    expect(fromContent.sort()).toEqual(['openPanel', 'pageBadges']);
  });
});
