/**
 * An HR roster (CSV) that goes with a generated organisation, with the cases an access review
 * must sort out: most accounts match by email, hidden-email accounts only by name, some people
 * left but their account is still active, some accounts belong to nobody, and some names collide.
 */
import { isTeamGroupName } from './generate';
import { createRng, hex, pick, randInt, shuffled, type Rng } from './prng';
import type { Scenario } from './scenario';

export interface RosterOptions {
  /** default 1 */
  seed?: number;
  /** Site whose accounts the roster covers (default: the first site). */
  site?: string;
  /** Share of people who left (Status Terminated, past Termination Date) (default 0.05). */
  terminatedRate?: number;
  /** Share of human accounts with no person in the roster (default 0.04). */
  unattributedRate?: number;
  /** Extra people: namesakes of existing people, and people with no account (default 0.05). */
  extraRate?: number;
}

export const ROSTER_HEADER = ['Employee ID', 'Full Name', 'Work Email', 'Department', 'Employee Type', 'Status', 'Start Date', 'Termination Date', 'Manager'] as const;

const DEPARTMENT_FALLBACK = ['Engineering', 'Sales', 'Operations', 'Finance'];
const NAME_SUFFIX_RE = /\s*\((?:Unlicensed|Deactivated|System|Former user)\)$/;

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A calendar date `YYYY-MM-DD` between `fromYear`-01-01 and +`spanDays`. */
function date(rng: Rng, fromYear: number, spanDays: number): string {
  return new Date(Date.UTC(fromYear, 0, 1) + randInt(rng, spanDays) * 86_400_000).toISOString().slice(0, 10);
}

function titleCase(team: string): string {
  return team.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

export function rosterFor(scenario: Scenario, opts: RosterOptions = {}): string {
  const rng = createRng(opts.seed ?? 1);
  const site = opts.site ? scenario.sites.find((s) => s.name === opts.site) : scenario.sites[0];
  if (!site) throw new Error(`no site "${opts.site}" in scenario`);
  const terminatedRate = opts.terminatedRate ?? 0.05;
  const unattributedRate = opts.unattributedRate ?? 0.04;
  const extraRate = opts.extraRate ?? 0.05;

  const department = new Map<string, string>();
  for (const g of site.groups) {
    if (!isTeamGroupName(g.name)) continue;
    const name = titleCase(g.name);
    for (const id of g.members) if (!department.has(id)) department.set(id, name);
  }

  const rows: string[][] = [];
  const managers: string[] = [];
  let employeeNo = 1000;
  const humans = site.users.filter((u) => u.accountType === 'atlassian' && u.workEmail);
  for (const u of humans) {
    // Unattributed: an account nobody in HR owns (never the admin at index 0).
    if (u !== humans[0] && rng() < unattributedRate) continue;
    const name = u.displayName.replace(NAME_SUFFIX_RE, '');
    const terminated = u !== humans[0] && rng() < terminatedRate;
    const manager = managers.length > 0 && rng() < 0.9 ? pick(rng, managers) : '';
    if (managers.length < 20 && rng() < 0.1) managers.push(name);
    rows.push([
      `E${employeeNo++}`,
      name,
      u.workEmail as string,
      department.get(u.accountId) ?? pick(rng, DEPARTMENT_FALLBACK),
      u.isGuest ? 'Contractor' : rng() < 0.9 ? 'Full-time' : 'Part-time',
      terminated ? 'Terminated' : 'Active',
      date(rng, 2015, 3650),
      terminated ? date(rng, 2025, 300) : '',
      manager,
    ]);
  }

  const extras = Math.round(humans.length * extraRate);
  const domain = (humans[0]?.workEmail ?? 'it-admin@example.test').split('@')[1] as string;
  // Work emails are unique in a roster (the import refuses a repeat): a made-up one that is taken
  // (two namesakes drawing the same 4 hex digits) is drawn again.
  const emailsTaken = new Set(rows.map((r) => (r[2] as string).toLowerCase()));
  for (let i = 0; i < extras && rows.length > 0; i++) {
    const source = rows[randInt(rng, rows.length)] as string[];
    // Namesake (same full name, different person and email) or a person with no account at all.
    const name = rng() < 0.5 ? (source[1] as string) : `${source[1]?.split(' ')[0]} ${['Marsh', 'Vale', 'Reyes', 'Holt'][i % 4]}`;
    let email: string;
    do email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${hex(rng, 4)}@${domain}`;
    while (emailsTaken.has(email));
    emailsTaken.add(email);
    rows.push([`E${employeeNo++}`, name, email, pick(rng, DEPARTMENT_FALLBACK), 'Full-time', 'Active', date(rng, 2016, 3000), '', '']);
  }

  return [ROSTER_HEADER.join(','), ...shuffled(rng, rows).map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}
