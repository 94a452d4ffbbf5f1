/**
 * Roster import in the real options page (issue #4): a 50,000-row HR export picked with the file
 * input, the page parses and previews it, "Import roster" sends the people to the background,
 * which stores them. Measured from `setInputFiles` until the page shows the imported roster.
 * Nothing Atlassian is needed, but the host mapping goes to a fake anyway so no request escapes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect } from '@playwright/test';
import { generateOrganisation, rosterFor, startFakeAtlassian } from '../test/fake-atlassian/index';
import { launchExtension } from '../test/support/launch';
import { workerCdp } from './bench-sync';

export interface RosterBenchFigures {
  rows: number;
  bytes: number;
  /** setInputFiles → the preview shows the parse (file read + parse + render in the page). */
  previewMs: number;
  /** "Import roster" clicked → the page shows the imported roster (message + background store). */
  importMs: number;
  /** setInputFiles → the page shows "… 50,000 people, imported …". */
  totalMs: number;
}

/**
 * A roster of exactly `rows` people, with the mess `rosterFor` puts in (namesakes, leavers,
 * people without accounts): made for a slightly bigger organisation, then cut to size.
 */
export function rosterCsv(rows: number, seed = 11): string {
  const scenario = generateOrganisation({ seed, groups: 20, accounts: Math.min(100_000, Math.ceil(rows * 1.1)) });
  const lines = rosterFor(scenario, { seed }).trimEnd().split('\n');
  if (lines.length - 1 < rows) throw new Error(`rosterFor gave ${lines.length - 1} rows, fewer than ${rows}`);
  return `${lines.slice(0, rows + 1).join('\n')}\n`;
}

const formatCount = (n: number) => n.toLocaleString('en');

export async function benchRosterImport(rows = 50_000): Promise<RosterBenchFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-lens-bench-'));
  const file = path.join(dir, `roster-${rows}.csv`);
  const csv = rosterCsv(rows);
  fs.writeFileSync(file, csv);
  const fake = await startFakeAtlassian({ scenario: generateOrganisation({ seed: 1, groups: 2, accounts: 10 }) });
  const ext = await launchExtension({ hostResolverRules: fake.hostResolverRules });
  try {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await expect(page.getByTestId('roster-status')).toHaveText('No roster imported yet.');
    const input = page.getByLabel('Personnel roster');
    const button = page.getByRole('button', { name: 'Import roster' });
    // CSS, not getByRole: Playwright polls the locator inside the page, and a role query computes
    // the accessible name of every element on each poll (~0.5 s of the page's CPU over the import,
    // profiled), time the page itself then waits for on a busy machine.
    const rowsRead = page.locator('[role=status]', { hasText: `${formatCount(rows)} rows read` });
    const imported = page.getByTestId('roster-status').filter({ hasText: `— ${formatCount(rows)} people, imported` });

    // BENCH_CPU_PROFILE=prefix: CPU profiles of the options page (prefix.page.cpuprofile) and the
    // worker (prefix.worker.cpuprofile) from picking the file until the roster shows.
    const profilePrefix = process.env.BENCH_CPU_PROFILE;
    const pageCdp = profilePrefix ? await ext.context.newCDPSession(page) : null;
    const worker = profilePrefix ? await workerCdp(page) : null;
    await pageCdp?.send('Profiler.enable');
    await pageCdp?.send('Profiler.start');
    await worker?.send('Profiler.enable');
    await worker?.send('Profiler.start');

    const started = performance.now();
    await input.setInputFiles(file);
    await expect(rowsRead).toBeVisible({ timeout: 60_000 });
    const previewMs = performance.now() - started;
    await expect(button).toBeEnabled();
    const clicked = performance.now();
    await button.click();
    await expect(imported).toBeVisible({ timeout: 60_000 });
    const done = performance.now();
    if (profilePrefix && pageCdp && worker) {
      fs.writeFileSync(`${profilePrefix}.page.cpuprofile`, JSON.stringify((await pageCdp.send('Profiler.stop')).profile));
      fs.writeFileSync(`${profilePrefix}.worker.cpuprofile`, JSON.stringify((await worker.send<{ profile: unknown }>('Profiler.stop')).profile));
      await worker.detach();
    }
    return {
      rows,
      bytes: Buffer.byteLength(csv),
      previewMs: Math.round(previewMs),
      importMs: Math.round(done - clicked),
      totalMs: Math.round(done - started),
    };
  } finally {
    await ext.close().catch(() => undefined);
    await fake.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// `node --import tsx scripts/bench-roster.ts [rows]`
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchRosterImport(Number(process.argv[2] ?? 50_000)), null, 2));
}
