// @vitest-environment node
/** Roster import, review flags and owner marks, as the side panel and options page use them. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewRow } from '../../../lib/model';
import { parseRoster } from '../../../lib/roster';
import { packPerson, type PackedPerson } from '../../../lib/roster/wire';
import { ACME, groupId, startHarness, type Harness } from './harness';

const TODAY = new Date().toISOString().slice(0, 10);

let h: Harness;
let rows: ReviewRow[];
/** An in-review account whose person left the company. */
let leaver: ReviewRow;
/** An in-review account whose person is still employed. */
let employee: ReviewRow;
/** An in-review account nobody in the roster owns. */
let stranger: ReviewRow;

beforeEach(async () => {
  h = await startHarness();
  await h.connectApiToken();
  await h.selectAndSync(ACME, [groupId(h.fake, 'engineering')]);
  rows = (await h.rows(ACME));
  const withEmail = rows.filter((r) => r.account.filteredReason === null && r.account.email);
  [leaver, employee, stranger] = withEmail as [ReviewRow, ReviewRow, ReviewRow];
  expect(stranger).toBeDefined();

  const csv = [
    'Employee ID,Full Name,Work Email,Status,Termination Date',
    `E1,Lee Leaver,${leaver.account.email},Terminated,2024-01-31`,
    `E2,Emma Employee,${employee.account.email},Active,`,
    'E3,Nobody Here,nobody.here@acme.test,Active,',
  ].join('\n');
  const parsed = parseRoster(csv, { today: TODAY });
  expect(parsed.errors).toEqual([]);
  await h.ok({ type: 'importRoster', fileName: 'hr.csv', people: parsed.people });
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

async function rowOf(accountId: string): Promise<ReviewRow> {
  const { row } = await h.ok({ type: 'getAccount', site: ACME, accountId });
  if (!row) throw new Error(`no review row for ${accountId}`);
  return row;
}
const flagsOf = (row: ReviewRow) => row.flags.map((f) => f.flag);
const personId = (name: string) => h.people().then((people) => people.find((p) => p.name === name)?.id ?? '');

describe('importRoster and the review', () => {
  it('flags a terminated person’s active account should_revoke and accounts nobody owns unattributed', async () => {
    expect((await h.people()).map((p) => p.name).sort()).toEqual(['Emma Employee', 'Lee Leaver', 'Nobody Here']);
    expect(flagsOf(await rowOf(leaver.account.accountId))).toContain('should_revoke');
    const ok = await rowOf(employee.account.accountId);
    expect(ok).toMatchObject({ ownerType: 'person', person: { name: 'Emma Employee' } });
    expect(flagsOf(ok)).toEqual([]);
    expect(flagsOf(await rowOf(stranger.account.accountId))).toContain('unattributed');

    // The counts of every site are refreshed in the background after an import.
    await h.service.idle();
    const state = await h.ok({ type: 'getState' });
    expect(state.roster).toMatchObject({ fileName: 'hr.csv', people: 3 });
    const inReview = rows.filter((r) => r.account.filteredReason === null).length;
    expect(state.sites[0]?.counts).toMatchObject({ review: inReview, should_revoke: 1, unattributed: inReview - 2 });
  });

  it('refuses a roster with two people sharing an id', async () => {
    const people = await h.people();
    const twice = [...people, { ...(people[0] as (typeof people)[number]), row: 9 }];
    expect((await h.fail({ type: 'importRoster', fileName: 'dup.csv', people: twice })).error).toContain('two people with the id');
    expect((await h.ok({ type: 'getState' })).roster?.fileName).toBe('hr.csv');
  });

  it('takes the people packed, as the options page sends them, and stores exactly what the objects give', async () => {
    const people = await h.people();
    await h.ok({ type: 'importRoster', fileName: 'packed.csv', packedPeople: people.map(packPerson) });
    expect(await h.people()).toEqual(people);
    expect((await h.ok({ type: 'getState' })).roster).toMatchObject({ fileName: 'packed.csv', people: people.length });
  });

  it('refuses packed people that break a field rule, both forms at once, or neither, and keeps the roster', async () => {
    const people = await h.people();
    const packed = people.map(packPerson);
    const badRow = packed.map((p, i) => (i === 0 ? ([...p.slice(0, 11), 'two'] as unknown as PackedPerson) : p));
    expect((await h.fail({ type: 'importRoster', fileName: 'bad.csv', packedPeople: badRow })).error).toMatch(/packedPeople/);
    const short = [packed[0]!.slice(0, 5)] as unknown as PackedPerson[];
    expect((await h.fail({ type: 'importRoster', fileName: 'short.csv', packedPeople: short })).error).toMatch(/packedPeople/);
    expect((await h.fail({ type: 'importRoster', fileName: 'both.csv', people, packedPeople: packed })).error).toContain('exactly one');
    expect((await h.fail({ type: 'importRoster', fileName: 'none.csv' })).error).toContain('exactly one');
    expect((await h.ok({ type: 'getState' })).roster?.fileName).toBe('hr.csv');
    expect(await h.people()).toEqual(people);
  });
});

describe('setMark', () => {
  it('an external mark with a reason clears unattributed, and clearing it brings the flag back', async () => {
    const id = stranger.account.accountId;
    const answer = await h.ok({ type: 'setMark', site: ACME, accountId: id, mark: { kind: 'external', reason: 'Agency contractor' } });
    expect(answer.mark).toMatchObject({ site: ACME, accountId: id, mark: { kind: 'external', reason: 'Agency contractor' } });
    expect(Date.parse(answer.mark?.mark.at ?? '')).not.toBeNaN();
    const marked = await rowOf(id);
    expect(marked.ownerType).toBe('external');
    expect(flagsOf(marked)).not.toContain('unattributed');

    expect(await h.ok({ type: 'setMark', site: ACME, accountId: id, mark: null })).toEqual({ mark: null });
    expect(flagsOf(await rowOf(id))).toContain('unattributed');
  });

  it('links an account to a roster person, and refuses a person who is not in the roster', async () => {
    const id = stranger.account.accountId;
    const refused = await h.fail({ type: 'setMark', site: ACME, accountId: id, mark: { kind: 'link', personId: 'email:ghost@acme.test' } });
    expect(refused.error).toBe('That person is not in the current roster.');
    expect((await rowOf(id)).mark).toBeNull();

    await h.ok({ type: 'setMark', site: ACME, accountId: id, mark: { kind: 'link', personId: await personId('Nobody Here') } });
    const linked = await rowOf(id);
    expect(linked).toMatchObject({ ownerType: 'person', person: { name: 'Nobody Here' }, match: { rule: 'manual' } });
    expect(flagsOf(linked)).not.toContain('unattributed');
  });

  it('refuses to mark an account that is not in the last sync', async () => {
    const answer = await h.fail({ type: 'setMark', site: ACME, accountId: '5b10ac8d82e05b22cc7d4e00', mark: { kind: 'service', reason: 'bot' } });
    expect(answer.error).toContain('is not in the last sync');
  });

  it('marks survive a re-sync', async () => {
    await h.ok({ type: 'setMark', site: ACME, accountId: stranger.account.accountId, mark: { kind: 'service', reason: 'Build robot' } });
    await h.ok({ type: 'setMark', site: ACME, accountId: leaver.account.accountId, mark: { kind: 'link', personId: await personId('Lee Leaver') } });
    expect(await h.ok({ type: 'syncNow', site: ACME })).toEqual({ started: [ACME] });
    await h.service.idle(ACME);
    expect((await h.ok({ type: 'getDiagnostics', site: ACME })).history.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);

    expect(await rowOf(stranger.account.accountId)).toMatchObject({ ownerType: 'service', mark: { kind: 'service', reason: 'Build robot' } });
    const leaverRow = await rowOf(leaver.account.accountId);
    expect(leaverRow).toMatchObject({ mark: { kind: 'link' }, match: { rule: 'manual' } });
    expect(flagsOf(leaverRow)).toContain('should_revoke');
  });
});
