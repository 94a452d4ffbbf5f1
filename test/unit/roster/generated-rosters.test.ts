/**
 * The fake's roster generator feeds the demo, the e2e tests and the benchmarks: its rosters must
 * import, at every size the generator makes (up to 100,000 accounts / 200 groups). It used to
 * give two extra people the same made-up email (at 36,000 accounts / 150 groups, seed 40: row
 * 26,401 repeated row 17,760), and the import refused the file.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ROSTER_MESSAGE_BYTES, MAX_ROSTER_ROWS, rosterMessageBytes } from '../../../lib/roster/limits';
import { parseRoster } from '../../../lib/roster/parse';
import { generateOrganisation, MAX_ACCOUNTS, MAX_GROUPS } from '../../fake-atlassian/generate';
import { ROSTER_HEADER, rosterFor } from '../../fake-atlassian/roster';

const SIZES = [
  { seed: 1, groups: 20, accounts: 1_000 },
  { seed: 3, groups: 60, accounts: 10_000 },
  { seed: 40, groups: 150, accounts: 36_000 },
  { seed: 11, groups: MAX_GROUPS, accounts: MAX_ACCOUNTS },
];

describe('generated rosters import cleanly', () => {
  it.each(SIZES)('$accounts accounts / $groups groups (seed $seed): unique work emails, no parse errors', ({ seed, groups, accounts }) => {
    const scenario = generateOrganisation({ seed, groups, accounts });
    const csv = rosterFor(scenario, { seed });
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(ROSTER_HEADER.join(','));

    const emailColumn = ROSTER_HEADER.indexOf('Work Email');
    const firstRow = new Map<string, number>();
    const repeats: string[] = [];
    lines.slice(1).forEach((line, i) => {
      const email = (line.split(',')[emailColumn] ?? '').toLowerCase();
      const first = firstRow.get(email);
      if (first !== undefined) repeats.push(`row ${i + 2} repeats row ${first}: ${email}`);
      else firstRow.set(email, i + 2);
    });
    expect(repeats).toEqual([]);

    const parsed = parseRoster(csv, { today: '2026-01-01' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.people).toHaveLength(lines.length - 1);
    // The biggest organisation's roster is within what one import takes.
    expect(parsed.people.length).toBeLessThanOrEqual(MAX_ROSTER_ROWS);
    expect(rosterMessageBytes(parsed.people)).toBeLessThan(MAX_ROSTER_MESSAGE_BYTES);
  }, 60_000);
});
