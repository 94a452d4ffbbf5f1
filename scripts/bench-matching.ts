/**
 * Matching / review / roster-import benchmarks on deterministic synthetic data. The lead's
 * scripts/bench.ts prints the figures. Targets: matching 100k accounts against 50k people < 1 s
 * in Node; parsing a 50,000-row roster well under the browser's 3 s budget.
 */
import { performance } from 'node:perf_hooks';
import { matchAccounts } from '../lib/match/match-accounts';
import type { OwnerMark, Person, SyncedAccount } from '../lib/model';
import { buildReview } from '../lib/review/build-review';
import { parseRoster } from '../lib/roster/parse';

export interface BenchResult {
  name: string;
  figures: Record<string, number | string>;
}

const SYLLABLES = ['an', 'bo', 'ca', 'de', 'el', 'fi', 'go', 'ha', 'is', 'jo', 'ka', 'lu', 'ma', 'ne', 'or', 'pa', 'ri', 'sa', 'to', 'vi'];
/** A few real-world shapes that take normaliseName's slow path (accents, apostrophes, suffixes). */
const DECORATED = ['José Núñez', "Siobhán O'Brien", 'Jürgen Müller', 'Doe, Jane', 'Ann Lee (Contractor)'];

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/**
 * Pronounceable names from syllables (400 first × 8,000 last names), so ties are as rare as in a
 * real company; one in ten is decorated the way real names are (accents, "Last, First", suffix).
 */
function nameFor(rand: () => number): string {
  const word = (n: number) => {
    let w = '';
    for (let i = 0; i < n; i++) w += pick(rand, SYLLABLES);
    return w.charAt(0).toUpperCase() + w.slice(1);
  };
  const name = `${word(2)} ${word(3)}`;
  return rand() < 0.1 ? `${pick(rand, DECORATED)} ${name}` : name;
}

export function syntheticPeople(count: number): Person[] {
  const rand = random(1);
  return Array.from({ length: count }, (_, i) => {
    const terminated = rand() < 0.05;
    return {
      id: `email:p${i}@acme.com`,
      name: nameFor(rand),
      workEmail: `p${i}@acme.com`,
      altEmails: rand() < 0.2 ? [`p${i}@home.example`] : [],
      status: terminated ? 'Terminated' : 'Active',
      statusTerminated: terminated,
      endDate: terminated && rand() < 0.5 ? '2025-01-15' : null,
      startDate: '2020-01-01',
      employeeType: 'Employee',
      department: 'Eng',
      manager: null,
      row: i + 2,
    };
  });
}

export function syntheticAccounts(count: number, people: readonly Person[]): SyncedAccount[] {
  const rand = random(2);
  return Array.from({ length: count }, (_, i) => {
    const p = people[Math.floor(rand() * people.length)] as Person;
    const kind = rand();
    // 40% work email, 10% alternate email, 30% display name only, 20% nobody in the roster.
    const email = kind < 0.4 ? p.workEmail : kind < 0.5 ? (p.altEmails[0] ?? p.workEmail) : kind < 0.8 ? null : `x${i}@vendor.example`;
    const displayName = kind < 0.8 ? p.name : `Vendor ${i}`;
    return {
      site: 'https://bench.atlassian.net',
      accountId: `acc-${i}`,
      displayName,
      publicName: displayName,
      email,
      emailSource: email === null ? 'none' : rand() < 0.5 ? 'confluence' : 'jira',
      accountType: 'atlassian',
      status: rand() < 0.03 ? 'inactive' : 'active',
      statusSignal: null,
      isGuest: rand() < 0.01,
      groups: [{ id: 'g1', name: rand() < 0.01 ? 'confluence-admins' : 'confluence-users' }],
      role: 'read',
      operations: [],
      filteredReason: null,
      filteredDetail: null,
    };
  });
}

function syntheticMarks(accounts: readonly SyncedAccount[], people: readonly Person[]): Map<string, OwnerMark> {
  const marks = new Map<string, OwnerMark>();
  accounts.forEach((a, i) => {
    if (i % 50 === 0) marks.set(a.accountId, { kind: 'link', personId: (people[i % people.length] as Person).id, at: '2025-01-01' });
    else if (i % 50 === 1) marks.set(a.accountId, { kind: 'service', reason: 'bot', at: '2025-01-01' });
  });
  return marks;
}

function syntheticRosterCsv(people: readonly Person[]): string {
  const lines = ['Work Email,Full Name,Status,Termination Date,Personal Email,Department'];
  for (const p of people) {
    lines.push(`${p.workEmail ?? ''},"${p.name}",${p.status ?? ''},${p.endDate ?? ''},${p.altEmails.join(';')},${p.department ?? ''}`);
  }
  return lines.join('\r\n');
}

/** Best of `runs`: the machine is shared, and the minimum is the least disturbed figure. */
function time(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export async function benchMatching(): Promise<BenchResult[]> {
  const people = syntheticPeople(50_000);
  const accounts = syntheticAccounts(100_000, people);
  const marks = syntheticMarks(accounts, people);
  const results: BenchResult[] = [];

  matchAccounts(accounts.slice(0, 10_000), people, marks); // warm up the JIT

  const matchMs: Record<number, number> = {};
  for (const size of [25_000, 50_000, 100_000]) {
    const slice = accounts.slice(0, size);
    let matched = 0;
    const ms = time(() => {
      matched = 0;
      for (const r of matchAccounts(slice, people, marks).values()) if (r.personId !== null) matched++;
    });
    matchMs[size] = ms;
    results.push({
      name: `matchAccounts ${size.toLocaleString('en')} accounts × 50,000 people`,
      figures: { bestOf3Ms: round(ms), perAccountUs: round((ms * 1000) / size, 2), matched, target: size === 100_000 ? '< 1000 ms' : '-' },
    });
  }
  // Each run also indexes the 50k people once, a fixed cost, so the ratio is below 4 even when
  // growth is linear; the marginal cost per extra account is the cleaner figure.
  const ms25k = matchMs[25_000] ?? 0;
  const ms100k = matchMs[100_000] ?? 0;
  results.push({
    name: 'matchAccounts growth 25k → 100k accounts',
    figures: {
      ratio: round(ms100k / Math.max(ms25k, 0.001), 2),
      marginalPerAccountUs: round(((ms100k - ms25k) * 1000) / 75_000, 2),
    },
  });

  let flagged = 0;
  const reviewMs = time(() => {
    const rows = buildReview({ accounts, people, marks, settings: { graceDays: 3, dormantDays: 90 }, today: '2025-03-10' });
    flagged = rows.filter((r) => r.flags.length > 0).length;
  });
  results.push({
    name: 'buildReview 100,000 accounts × 50,000 people',
    figures: { bestOf3Ms: round(reviewMs), perAccountUs: round((reviewMs * 1000) / accounts.length, 2), flagged },
  });

  const csv = syntheticRosterCsv(people);
  let imported = 0;
  let errors = 0;
  const parseMs = time(() => {
    const r = parseRoster(csv, { today: '2025-03-10' });
    imported = r.people.length;
    errors = r.errors.length;
  });
  results.push({
    name: 'parseRoster 50,000-row CSV',
    figures: { bestOf3Ms: round(parseMs), bytes: csv.length, imported, errors, target: '< 3000 ms in the browser' },
  });
  return results;
}
