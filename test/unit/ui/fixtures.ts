import type { Person, ReviewRow, SyncedAccount } from '@/lib/model';
import type { SiteSummary, StateResponse } from '@/lib/messages';

export const SITE = 'https://acme.atlassian.net';

export function site(overrides: Partial<SiteSummary> = {}): SiteSummary {
  return {
    site: SITE,
    siteName: 'acme',
    cloudId: 'cloud-1',
    authMethod: 'oauth',
    status: 'connected',
    lastError: null,
    lastSyncedAt: '2026-11-27T14:03:00',
    sync: null,
    selectedGroupIds: ['g1'],
    syncIntervalHours: 24,
    counts: { inReview: 12, filtered: 3, flagged: 4, unattributed: 2, shouldRevoke: 1 },
    apiBase: null,
    hasJira: true,
    pausedUntil: null,
    ...overrides,
  };
}

export function state(overrides: Partial<StateResponse> = {}): StateResponse {
  return {
    sites: [site()],
    roster: null,
    graceDays: 3,
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
    mark: null,
    flags: [],
    ...overrides,
  };
}
