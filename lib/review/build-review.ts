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
import { computeActivityFlags } from '../activity/flags';
import { NO_ACTIVITY_FACTS, type ActivityFacts } from '../activity/types';
import type { MatchResult, OwnerMark, OwnerType, Person, ReviewRow, ReviewSettings, SyncedAccount } from '../model';
import { matchAccounts } from '../match/match-accounts';
import { computeFlags } from './flags';
import { REVIEW_FILTERS, emptyCounts, filterBit, filterBits, type FilterCounts } from './filters';

export interface ReviewInput {
  accounts: readonly SyncedAccount[];
  people: readonly Person[];
  marks: ReadonlyMap<string, OwnerMark>;
  settings: ReviewSettings;
  /** YYYY-MM-DD in the admin's time zone (see `todayIn`). */
  today: string;
  /** Last activity and 2SV per account id (absent: nothing known). */
  activity?: ReadonlyMap<string, ActivityFacts>;
}

/** What one account's row is, given its match and activity (owner, person, flags). */
export function reviewRow(
  account: SyncedAccount,
  match: MatchResult,
  peopleById: ReadonlyMap<string, Person>,
  mark: OwnerMark | null,
  settings: ReviewSettings,
  today: string,
  activity: ActivityFacts = NO_ACTIVITY_FACTS,
): ReviewRow {
  let ownerType: OwnerType;
  let person: Person | null = null;
  if (mark?.kind === 'external' || mark?.kind === 'service') {
    ownerType = mark.kind;
  } else {
    person = match.personId === null ? null : (peopleById.get(match.personId) ?? null);
    ownerType = person === null ? 'none' : 'person';
  }
  const flags =
    account.filteredReason === null
      ? [
          ...computeFlags({ account, match, person, ownerType, settings, today }),
          ...computeActivityFlags({ account, facts: activity, settings, today }),
        ]
      : [];
  return { account, match, person, ownerType, mark, flags, activity };
}

export function buildReview(input: ReviewInput): ReviewRow[] {
  const { accounts, people, marks, settings, today, activity } = input;
  const matches = matchAccounts(accounts, people, marks);
  const peopleById = new Map(people.map((p) => [p.id, p]));
  return accounts.map((account) => {
    const match = matches.get(account.accountId);
    if (match === undefined) throw new Error(`No match computed for ${account.accountId}`);
    return reviewRow(account, match, peopleById, marks.get(account.accountId) ?? null, settings, today, activity?.get(account.accountId));
  });
}

/** Per review filter, the number of rows (what the popup shows). */
export function summarise(rows: readonly ReviewRow[]): FilterCounts {
  const counts = emptyCounts();
  for (const row of rows) {
    const bits = filterBits(row);
    for (const filter of REVIEW_FILTERS) if (bits & filterBit(filter)) counts[filter]++;
  }
  return counts;
}
