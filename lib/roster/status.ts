import type { Person } from '../model';

/** Status texts that say the person has left (compared lower-case, `-`/`_` as spaces). */
const TERMINATED_STATUSES = new Set([
  'terminated', 'inactive', 'former', 'offboarded', 'left', 'separated', 'resigned', 'retired',
  'dismissed', 'deactivated', 'ex employee', 'exemployee', 'leaver', 'former employee',
  'not active', 'no longer employed', 'withdrawn',
]);
/**
 * HR systems add detail after these words ("Terminated - voluntary", "Retired (2024)"); they are
 * unambiguous as the first word. "Active - leaving" starts with "active", so it stays active.
 */
const TERMINATED_FIRST_WORDS = new Set([
  'terminated', 'offboarded', 'separated', 'resigned', 'retired', 'dismissed', 'deactivated', 'former',
]);

function normaliseStatus(status: string): string {
  return status.trim().toLowerCase().replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** True when the status text itself says the person left. */
export function isTerminatedStatus(status: string | null): boolean {
  if (status === null) return false;
  const s = normaliseStatus(status);
  if (TERMINATED_STATUSES.has(s)) return true;
  const firstWord = /^[a-z]+/.exec(s)?.[0];
  return firstWord !== undefined && TERMINATED_FIRST_WORDS.has(firstWord);
}

/**
 * A person is terminated when the status says so or the end date is today or earlier (`today` is
 * YYYY-MM-DD in the admin's time zone, see `todayIn`). A future end date means still active.
 */
export function isTerminated(person: Person, today: string): boolean {
  return person.statusTerminated || (person.endDate !== null && person.endDate <= today);
}
