/**
 * Who owns each account: roster person by manual link, email, or display name.
 *
 * Returns a Map keyed by accountId (every account gets an entry). Indexes are built once, so the
 * whole run is linear in accounts + people.
 *
 * Rules, first that applies:
 *  1. `link` mark to a person still in the roster → `manual` (confirmed).
 *  2. Account email = a person's work email or alternate email → `email` (confirmed). A work
 *     email beats someone else's alternate email; an alternate email claimed by several people
 *     (and nobody's work email) is ambiguous and gives no email match.
 *  3. Normalised display name (publicName when the display name is empty) = exactly one person's
 *     normalised name → `name`, confirmed only by a `confirm` mark for that person. Several →
 *     no match, `candidates` lists them.
 * An `unlink` mark for P removes P from rules 2 and 3 for that account.
 */
import type { MatchResult, OwnerMark, Person, SyncedAccount } from '../model';
import { normaliseEmail, normaliseName } from '../roster/names';

export interface RosterIndex {
  byId: Map<string, Person>;
  byWorkEmail: Map<string, Person>;
  byAltEmail: Map<string, Person[]>;
  byName: Map<string, Person[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function indexRoster(people: readonly Person[]): RosterIndex {
  const index: RosterIndex = { byId: new Map(), byWorkEmail: new Map(), byAltEmail: new Map(), byName: new Map() };
  for (const p of people) {
    index.byId.set(p.id, p);
    if (p.workEmail !== null) {
      const key = normaliseEmail(p.workEmail);
      if (!index.byWorkEmail.has(key)) index.byWorkEmail.set(key, p);
    }
    for (const raw of p.altEmails) {
      const alt = normaliseEmail(raw);
      const claimants = index.byAltEmail.get(alt);
      if (claimants === undefined) index.byAltEmail.set(alt, [p]);
      else if (!claimants.includes(p)) claimants.push(p);
    }
    const name = normaliseName(p.name);
    if (name !== '') push(index.byName, name, p);
  }
  return index;
}

/** "Jane Doe", or the work email / id for a nameless roster row. */
export function personLabel(p: Person): string {
  return p.name.trim() || p.workEmail || p.id;
}

function listPeople(people: readonly Person[]): string {
  return people.map((p) => `${personLabel(p)}, row ${p.row}`).join('; ');
}

const SOURCE_WORDS = { confluence: 'from Confluence', jira: 'from Jira', none: 'source unknown' } as const;

export function accountName(account: SyncedAccount): string {
  return account.displayName.trim() || account.publicName.trim();
}

const NOBODY: readonly Person[] = [];

/** `people` minus the unlinked person; allocation-free in the common case (runs per account). */
function without(people: readonly Person[] | undefined, unlinkedId: string | null): readonly Person[] {
  if (people === undefined) return NOBODY;
  if (unlinkedId === null) return people;
  return people.filter((p) => p.id !== unlinkedId);
}

/** One account against a prebuilt index (see `indexRoster`): what the warm review model re-runs for one mark. */
export function matchAccount(account: SyncedAccount, index: RosterIndex, mark: OwnerMark | undefined): MatchResult {
  let preface = '';
  if (mark?.kind === 'link') {
    const person = index.byId.get(mark.personId);
    if (person !== undefined) {
      return {
        rule: 'manual',
        personId: person.id,
        confirmed: true,
        candidates: [],
        explanation: `Linked manually to ${personLabel(person)}`,
      };
    }
    preface = `The linked person (${mark.personId}) is no longer in the roster. `;
  }
  const unlinked = mark?.kind === 'unlink' ? mark.personId : null;

  let ambiguousAlt: readonly Person[] = NOBODY;
  const email = account.email === null ? '' : normaliseEmail(account.email);
  if (email !== '') {
    const source = SOURCE_WORDS[account.emailSource];
    const work = index.byWorkEmail.get(email);
    if (work !== undefined && work.id !== unlinked) {
      return {
        rule: 'email',
        personId: work.id,
        confirmed: true,
        candidates: [],
        explanation: `${preface}Email ${email} (${source}) matches the roster's work email of ${personLabel(work)}`,
      };
    }
    const alts = without(index.byAltEmail.get(email), unlinked);
    const [onlyAlt] = alts;
    if (alts.length === 1 && onlyAlt !== undefined) {
      return {
        rule: 'email',
        personId: onlyAlt.id,
        confirmed: true,
        candidates: [],
        explanation: `${preface}Email ${email} (${source}) matches an alternate email of ${personLabel(onlyAlt)}`,
      };
    }
    ambiguousAlt = alts;
  }

  const displayName = accountName(account);
  const nameKey = normaliseName(displayName);
  const named = nameKey === '' ? NOBODY : without(index.byName.get(nameKey), unlinked);
  const [onlyNamed] = named;
  if (named.length === 1 && onlyNamed !== undefined) {
    const confirmed = mark?.kind === 'confirm' && mark.personId === onlyNamed.id;
    return {
      rule: 'name',
      personId: onlyNamed.id,
      confirmed,
      candidates: [],
      explanation: `${preface}Display name "${displayName}" matches ${personLabel(onlyNamed)}${confirmed ? ' (confirmed by a reviewer)' : ' — needs confirmation'}`,
    };
  }
  if (named.length > 1) {
    return {
      rule: 'none',
      personId: null,
      confirmed: false,
      candidates: named.map((p) => p.id),
      explanation: `${preface}Display name "${displayName}" matches ${named.length} people (${listPeople(named)}): link one manually`,
    };
  }
  if (ambiguousAlt.length > 1) {
    return {
      rule: 'none',
      personId: null,
      confirmed: false,
      candidates: ambiguousAlt.map((p) => p.id),
      explanation: `${preface}Email ${email} is an alternate email of ${ambiguousAlt.length} people (${listPeople(ambiguousAlt)}): link one manually`,
    };
  }
  const wanted = [email !== '' ? `email ${email}` : null, displayName !== '' ? `the name "${displayName}"` : null]
    .filter((s) => s !== null)
    .join(' or ');
  return {
    rule: 'none',
    personId: null,
    confirmed: false,
    candidates: [],
    explanation: `${preface}${wanted === '' ? 'Account has no email or name to match' : `No roster person with ${wanted}`}${unlinked !== null ? ` (match to ${unlinked} removed by a reviewer)` : ''}`,
  };
}

export function matchAccounts(
  accounts: readonly SyncedAccount[],
  people: readonly Person[],
  marks: ReadonlyMap<string, OwnerMark>,
): Map<string, MatchResult> {
  const index = indexRoster(people);
  const results = new Map<string, MatchResult>();
  for (const account of accounts) {
    results.set(account.accountId, matchAccount(account, index, marks.get(account.accountId)));
  }
  return results;
}
