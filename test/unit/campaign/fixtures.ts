/** Rows and reviews for the campaign tests, built with the product's own review builder. */
import type { OwnerMark, Person, ReviewRow, SyncedAccount } from '../../../lib/model';
import { buildReview } from '../../../lib/review/build-review';
import type { CampaignRecord, Reviewer } from '../../../lib/campaign/types';
import { SITE, account, person } from '../match/fixtures';

export { SITE, account, person };

export const REVIEWER: Reviewer = { name: 'Avery Admin', accountId: 'admin-1' };

export const leaver = person({ id: 'email:lee@acme.com', name: 'Lee Park', workEmail: 'lee@acme.com', endDate: '2025-01-01', row: 3 });
export const staff = person({ id: 'email:ada@acme.com', name: 'Ada Lovelace', workEmail: 'ada@acme.com', row: 2 });
export const admin = person({ id: 'email:avery@acme.com', name: 'Avery Admin', workEmail: 'avery@acme.com', row: 4 });

export function rows(accounts: SyncedAccount[], people: Person[] = [leaver, staff, admin], marks = new Map<string, OwnerMark>()): ReviewRow[] {
  return buildReview({ accounts, people, marks, settings: { graceDays: 3, dormantDays: 90 }, today: '2025-03-10' });
}

/** Ada (unflagged), Lee (left: should revoke), the reviewer's own account (unflagged), a bot (filtered). */
export function sampleRows(): ReviewRow[] {
  return rows([
    account({ accountId: 'ada', displayName: 'Ada Lovelace', email: 'ada@acme.com', emailSource: 'confluence', groups: [{ id: 'g1', name: 'confluence-users' }, { id: 'g2', name: 'confluence-admins' }] }),
    account({ accountId: 'lee', displayName: 'Lee Park', email: 'lee@acme.com', emailSource: 'confluence' }),
    account({ accountId: 'admin-1', displayName: 'Avery Admin', email: 'avery@acme.com', emailSource: 'confluence' }),
    account({ accountId: 'bot', displayName: 'Build Bot', accountType: 'app', filteredReason: 'app', filteredDetail: 'App account (accountType "app")' }),
  ]);
}

export function campaign(overrides: Partial<CampaignRecord> = {}): CampaignRecord {
  return {
    id: 'review-1',
    site: SITE,
    siteName: 'acme',
    cloudId: 'cloud-1',
    status: 'open',
    startedAt: '2025-03-10T09:00:00.000Z',
    completedAt: null,
    reviewer: REVIEWER,
    sync: { runId: 'run-1', syncedAt: '2025-03-10T08:00:00.000Z' },
    frozenAt: '2025-03-10T09:00:00.000Z',
    groups: [{ id: 'g1', name: 'confluence-users' }, { id: 'g2', name: 'confluence-admins' }],
    roster: { fileName: 'hr.csv', importedAt: '2025-03-09T00:00:00.000Z', rows: 2, sha256: 'ab'.repeat(32) },
    graceDays: 3,
    today: '2025-03-10',
    accounts: 4,
    inReview: 3,
    rowChunks: 1,
    decisionBuckets: 1,
    refreshes: [],
    diff: null,
    signOff: null,
    seal: null,
    remediation: [],
    extensionVersion: '0.1.0',
    ...overrides,
  };
}
