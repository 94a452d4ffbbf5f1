import type { Person, ReviewRow, SyncedAccount } from '@/lib/model';
import type { Request, ReviewQueryResponse, SiteSummary, StateResponse } from '@/lib/messages';
import { summarise } from '@/lib/review/build-review';
import { toCsv, toJson } from '@/lib/review/export';
import { emptyCounts, filterBit, filterBits, REVIEW_FILTERS, rowSeverity } from '@/lib/review/filters';

export const SITE = 'https://acme.atlassian.net';

export function site(overrides: Partial<SiteSummary> = {}): SiteSummary {
  return {
    site: SITE,
    siteName: 'acme',
    cloudId: 'cloud-1',
    authMethod: 'oauth',
    status: 'connected',
    lastError: null,
    fix: null,
    lastSyncedAt: '2026-11-27T14:03:00',
    sync: null,
    selectedGroupIds: ['g1'],
    syncIntervalHours: 24,
    counts: { ...emptyCounts(), review: 12, filtered: 3, flagged: 4, unattributed: 2, should_revoke: 1 },
    apiBase: null,
    hasJira: true,
    pausedUntil: null,
    review: { open: null, lastCompletedAt: null, reviewDue: false, remediation: { pending: 0, overdue: 0, verified: 0 } },
    ...overrides,
  };
}

export function state(overrides: Partial<StateResponse> = {}): StateResponse {
  return {
    sites: [site()],
    roster: null,
    graceDays: 3,
    dormantDays: 90,
    reviewEveryDays: 90,
    remediationDueDays: 14,
    callbackUrl: 'https://poaokbhmjpleenafkjpmagkbbkbbilfk.chromiumapp.org/',
    ...overrides,
  };
}

export function person(overrides: Partial<Person> = {}): Person {
  return {
    id: 'email:ada@acme.com',
    name: 'Ada Lovelace',
    workEmail: 'ada@acme.com',
    altEmails: [],
    status: 'Active',
    statusTerminated: false,
    endDate: null,
    startDate: null,
    employeeType: null,
    department: null,
    manager: null,
    row: 2,
    ...overrides,
  };
}

export function account(overrides: Partial<SyncedAccount> = {}): SyncedAccount {
  return {
    site: SITE,
    accountId: '5b10ac8d82e05b22cc7d4ef5',
    displayName: 'Ada Lovelace',
    publicName: 'Ada',
    email: 'ada@acme.com',
    emailSource: 'confluence',
    accountType: 'atlassian',
    status: 'active',
    statusSignal: 'users-bulk accountStatus "active"',
    isGuest: false,
    groups: [{ id: 'g1', name: 'confluence-users' }],
    role: 'write',
    operations: [],
    filteredReason: null,
    filteredDetail: null,
    ...overrides,
  };
}

export function row(overrides: Partial<ReviewRow> & { account?: SyncedAccount } = {}): ReviewRow {
  return {
    account: account(),
    match: { rule: 'none', personId: null, confirmed: false, candidates: [], explanation: 'No roster person has this email or name' },
    person: null,
    ownerType: 'none',
    activity: { lastActive: null, mfa: null },
    mark: null,
    flags: [],
    ...overrides,
  };
}

export interface ReviewFixture {
  site: string;
  rows: ReviewRow[];
  people: Person[];
  lastSyncedAt: string | null;
}

type Req<T extends Request['type']> = Extract<Request, { type: T }>;

/**
 * A fake background's review requests over fixed rows: `queryReview` filters, searches, sorts
 * and pages them with the same pure rules the warm review model uses (lib/review/filters.ts);
 * `getAccount`, `searchPeople` and `exportReview` answer from the same rows and people.
 */
export function reviewHandlers(fixture: ReviewFixture) {
  const { rows, people } = fixture;
  const text = (r: ReviewRow) =>
    [r.account.displayName, r.account.publicName, r.account.email, r.account.accountId, r.person?.name, r.person?.workEmail, ...r.account.groups.map((g) => g.name)]
      .filter((v): v is string => typeof v === 'string')
      .join('\n')
      .toLowerCase();
  return {
    queryReview: (req: Req<'queryReview'>): ReviewQueryResponse => {
      const search = (req.search ?? '').trim().toLowerCase();
      const wanted = req.group ?? null;
      const group = wanted === null ? null : (rows.flatMap((r) => r.account.groups).find((g) => g.id === wanted || g.name.toLowerCase() === wanted.toLowerCase()) ?? null);
      const found = rows.filter((r) => (search === '' || text(r).includes(search)) && (wanted === null || (group !== null && r.account.groups.some((g) => g.id === group.id))));
      const byName = (x: ReviewRow, y: ReviewRow) => x.account.displayName.localeCompare(y.account.displayName);
      const listed = found
        .filter((r) => filterBits(r) & filterBit(req.filter ?? 'review'))
        .sort((x, y) => ((req.sort ?? 'severity') === 'severity' ? rowSeverity(y) - rowSeverity(x) : 0) || byName(x, y));
      const counts = summarise(found);
      for (const f of REVIEW_FILTERS) counts[f] ??= 0;
      const offset = req.offset ?? 0;
      return {
        site: req.site,
        lastSyncedAt: fixture.lastSyncedAt,
        caveats: [],
        synced: fixture.lastSyncedAt !== null || rows.length > 0,
        hasRoster: people.length > 0,
        total: listed.length,
        counts,
        offset,
        rows: listed.slice(offset, offset + (req.limit ?? 100)),
        group,
      };
    },
    getAccount: (req: Req<'getAccount'>) => ({ row: rows.find((r) => r.account.accountId === req.accountId) ?? null }),
    searchPeople: (req: Req<'searchPeople'>) => {
      const q = req.search.trim().toLowerCase();
      const matching = people.filter((p) => q === '' || `${p.name}\n${p.workEmail ?? ''}`.toLowerCase().includes(q));
      return { meta: people.length > 0 ? { fileName: 'hr.csv', importedAt: '2026-11-27T10:00:00Z', people: people.length } : null, total: matching.length, people: matching };
    },
    exportReview: (req: Req<'exportReview'>) => ({
      exportId: 'export-1',
      part: 0,
      parts: 1,
      text:
        req.format === 'csv'
          ? toCsv(rows, req.site)
          : toJson(rows, req.site, { exportedAt: '2026-11-27T15:00:00Z', lastSyncedAt: fixture.lastSyncedAt, roster: null }),
    }),
  };
}
