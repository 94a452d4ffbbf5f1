/**
 * The committed demo organisation: `npm exec tsx test/fake-atlassian/demo.ts` (or
 * `node --import tsx test/fake-atlassian/demo.ts`) rewrites scenarios/demo.json and
 * scenarios/demo-roster.csv from these fixed options. A unit test checks the files still match.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrganisation } from './generate';
import { rosterFor } from './roster';
import { SCENARIO_DIR, type Scenario } from './scenario';

export const DEMO_OPTIONS = { seed: 20240601, groups: 14, accounts: 320, sites: 2, siteName: 'acme' } as const;
export const DEMO_ROSTER_OPTIONS = { seed: 20240601 } as const;

export function buildDemo(): { scenario: Scenario; roster: string } {
  const scenario = generateOrganisation(DEMO_OPTIONS);
  scenario.name = 'demo';
  return { scenario, roster: rosterFor(scenario, DEMO_ROSTER_OPTIONS) };
}

export function writeDemo(dir = SCENARIO_DIR): void {
  const { scenario, roster } = buildDemo();
  fs.writeFileSync(path.join(dir, 'demo.json'), JSON.stringify(scenario, null, 1) + '\n');
  fs.writeFileSync(path.join(dir, 'demo-roster.csv'), roster);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeDemo();
  console.log(`wrote ${path.join(SCENARIO_DIR, 'demo.json')} and demo-roster.csv`);
}
