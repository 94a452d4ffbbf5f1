/**
 * Review rows: every synced account with its match, owner and flags.
 *
 * Owner type: an `external`/`service` mark wins (the reviewer said who owns it; `person` is then
 * null and no person-based flag is raised, though `match` still shows what the roster said).
 * Otherwise `person` whenever a person was matched — including an unconfirmed name match, which
 * also gets `needs_confirmation` — else `none`.
 *
 * Filtered accounts (apps, inactive) keep their match and filtered reason but get no flags.
 */
import type { OwnerMark, OwnerType, Person, ReviewRow, ReviewSettings, SyncedAccount } from '../model';
import { matchAccounts } from '../match/match-accounts';
import { computeFlags } from './flags';

export interface ReviewInput {
  accounts: readonly SyncedAccount[];
  people: readonly Person[];
  marks: ReadonlyMap<string, OwnerMark>;
  settings: ReviewSettings;
  /** YYYY-MM-DD in the admin's time zone (see `todayIn`). */
  today: string;
}

export function buildReview(input: ReviewInput): ReviewRow[] {
  const { accounts, people, marks, settings, today } = input;
  const matches = matchAccounts(accounts, people, marks);
  const peopleById = new Map(people.map((p) => [p.id, p]));

  return accounts.map((account) => {
    const mark = marks.get(account.accountId) ?? null;
    const match = matches.get(account.accountId);
    if (match === undefined) throw new Error(`No match computed for ${account.accountId}`);
    let ownerType: OwnerType;
    let person: Person | null = null;
    if (mark?.kind === 'external' || mark?.kind === 'service') {
      ownerType = mark.kind;
    } else {
      person = match.personId === null ? null : (peopleById.get(match.personId) ?? null);
      ownerType = person === null ? 'none' : 'person';
    }
    const flags =
      account.filteredReason === null ? computeFlags({ account, match, person, ownerType, settings, today }) : [];
    return { account, match, person, ownerType, mark, flags };
  });
}

export interface ReviewSummary {
  inReview: number;
  filtered: number;
  flagged: number;
  unattributed: number;
  shouldRevoke: number;
}

export function summarise(rows: readonly ReviewRow[]): ReviewSummary {
  const summary: ReviewSummary = { inReview: 0, filtered: 0, flagged: 0, unattributed: 0, shouldRevoke: 0 };
  for (const row of rows) {
    if (row.account.filteredReason !== null) {
      summary.filtered++;
      continue;
    }
    summary.inReview++;
    if (row.flags.length > 0) summary.flagged++;
    if (row.flags.some((f) => f.flag === 'unattributed')) summary.unattributed++;
    if (row.flags.some((f) => f.flag === 'should_revoke')) summary.shouldRevoke++;
  }
  return summary;
}
