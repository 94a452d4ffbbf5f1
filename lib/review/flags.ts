/**
 * The flags a review row can carry, one line of explanation each. Only accounts in the review
 * (`filteredReason === null`) are flagged; `buildReview` enforces that.
 */
import type { FlagResult, MatchResult, OwnerType, Person, ReviewSettings, SyncedAccount } from '../model';
import { personLabel } from '../match/match-accounts';
import { daysBetween } from '../roster/dates';
import { isTerminated } from '../roster/status';
import { isAdminGroupName } from './admin-groups';

export interface FlagInput {
  account: SyncedAccount;
  match: MatchResult;
  person: Person | null;
  ownerType: OwnerType;
  settings: ReviewSettings;
  today: string;
}

function groupList(account: SyncedAccount): string {
  return account.groups.length === 0 ? 'no monitored group' : account.groups.map((g) => g.name).join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Why the person counts as gone, e.g. `status "Terminated"` or `end date 2025-03-01`. */
function terminationReason(person: Person, today: string): string {
  const parts: string[] = [];
  if (person.statusTerminated) parts.push(`status "${person.status ?? ''}"`);
  if (person.endDate !== null && person.endDate <= today) parts.push(`end date ${person.endDate}`);
  return parts.join(', ');
}

export function computeFlags(input: FlagInput): FlagResult[] {
  const { account, match, person, ownerType, settings, today } = input;
  const flags: FlagResult[] = [];
  const active = account.status !== 'inactive';

  if (active && ownerType === 'none') {
    const ties = match.candidates.length > 0 ? ` (${plural(match.candidates.length, 'candidate')} tie)` : '';
    flags.push({
      flag: 'unattributed',
      explanation: `Active account with no roster person, not marked External or Service${ties}`,
    });
  }

  if (active && person !== null && isTerminated(person, today)) {
    const unconfirmed = match.rule === 'name' && !match.confirmed ? ' (name match, unconfirmed)' : '';
    flags.push({
      flag: 'should_revoke',
      explanation: `${personLabel(person)}${unconfirmed} has left (${terminationReason(person, today)}) but the account is still in ${groupList(account)}`,
    });
    // A person terminated by status alone has no date to count the grace period from, so they
    // are never "overdue"; should_revoke still stands.
    if (person.endDate !== null) {
      const daysSince = daysBetween(person.endDate, today);
      if (daysSince > settings.graceDays) {
        flags.push({
          flag: 'revoke_overdue',
          explanation: `End date ${person.endDate} was ${plural(daysSince, 'day')} ago, more than the ${plural(settings.graceDays, 'day')} grace period`,
        });
      }
    }
  }

  if (ownerType === 'person' && match.rule === 'name' && !match.confirmed) {
    flags.push({ flag: 'needs_confirmation', explanation: `Matched by display name only: ${match.explanation}` });
  }

  if (account.isGuest) {
    const adminGroups = account.groups.filter((g) => isAdminGroupName(g.name)).map((g) => g.name);
    if (adminGroups.length > 0) {
      flags.push({ flag: 'privileged_guest', explanation: `Guest account in admin group ${adminGroups.join(', ')}` });
    }
  }
  return flags;
}
