/** The warm review model: the same rows as a fresh build, updated in place, queried in pages. */
import { describe, expect, it, vi } from 'vitest';
import type { OwnerMark, Person, SyncedAccount } from '../../../lib/model';
import { buildReview } from '../../../lib/review/build-review';
import { sortRowsForExport } from '../../../lib/review/export';
import { ReviewModel, rosterContext, type ReviewModelStats } from '../../../lib/review/model';
import { RowLookups } from '../../../lib/review/order';
import type { ReviewFilter, ReviewSort } from '../../../lib/review/filters';
import { account, confirm, external, link, person, service, SITE, unlink } from '../match/fixtures';

const TODAY = '2025-03-10';
const settings = { graceDays: 3, dormantDays: 90 };

const ann = person({ id: 'email:ann@acme.com', name: 'Ann Lee', workEmail: 'ann@acme.com', row: 2 });
const lee = person({ id: 'email:lee@acme.com', name: 'Lee Park', workEmail: 'lee@acme.com', endDate: '2025-03-05', row: 3 });
const zoe = person({ id: 'email:zoe@acme.com', name: 'Zoë Ökonom', workEmail: 'zoe@acme.com', row: 4 });
const PEOPLE = [ann, lee, zoe];

const admins = { id: 'g2', name: 'confluence-admins' };
const users = { id: 'g1', name: 'confluence-users' };
const ACCOUNTS: SyncedAccount[] = [
  account({ accountId: 'a-ann', displayName: 'Ann Lee', email: 'ann@acme.com', emailSource: 'confluence', role: 'write' }),
  account({ accountId: 'a-lee', displayName: 'Lee Park', email: 'lee@acme.com', emailSource: 'jira', groups: [admins, users], role: 'admin' }),
  account({ accountId: 'a-zoe', displayName: 'Zoe Okonom', role: 'read' }),
  account({ accountId: 'a-guest', displayName: 'guest person', isGuest: true, groups: [admins], role: 'admin' }),
  account({ accountId: 'a-nobody', displayName: 'Nobody', groups: [] , role: 'none' }),
  account({ accountId: 'a-bot', displayName: 'Jira Bot', accountType: 'app', filteredReason: 'app', filteredDetail: 'App' }),
];

function model(accounts = ACCOUNTS, people: Person[] = PEOPLE, marks = new Map<string, OwnerMark>(), stats?: ReviewModelStats): ReviewModel {
  return new ReviewModel(
    { site: SITE, snapshotId: 's1', accounts, roster: rosterContext('r1', people), marks, settings, today: TODAY },
    stats,
  );
}

const fresh = (marks: Map<string, OwnerMark>, people = PEOPLE, s = settings, today = TODAY) =>
  sortRowsForExport(buildReview({ accounts: ACCOUNTS, people, marks, settings: s, today }));

const names = (m: ReviewModel, q: Partial<Parameters<ReviewModel['query']>[0]> = {}) =>
  m.query({ filter: 'review', search: '', sort: 'name', offset: 0, limit: 100, ...q }).rows.map((r) => r.account.displayName);

describe('ReviewModel', () => {
  it('holds the rows a fresh build gives, in export order', () => {
    expect(model().rows()).toEqual(fresh(new Map()));
  });

  it('after marks are set and cleared, equals a fresh build with the same marks; each mark re-matches one account', () => {
    const stats: ReviewModelStats = { builds: 0, matched: 0 };
    const m = model(ACCOUNTS, PEOPLE, new Map(), stats);
    expect(stats).toEqual({ builds: 1, matched: ACCOUNTS.length });
    const steps: [string, OwnerMark | null][] = [
      ['a-zoe', confirm(zoe.id)],
      ['a-nobody', external()],
      ['a-guest', link(ann.id)],
      ['a-ann', unlink(ann.id)],
      ['a-nobody', null],
      ['a-guest', service()],
    ];
    const marks = new Map<string, OwnerMark>();
    for (const [id, mark] of steps) {
      if (mark) marks.set(id, mark);
      else marks.delete(id);
      expect(m.setMark(id, mark)).toBe(true);
      expect(m.rows()).toEqual(fresh(marks));
    }
    expect(stats).toEqual({ builds: 1, matched: ACCOUNTS.length + steps.length });
    expect(m.setMark('not-synced', external())).toBe(false);
  });

  it('a new date or grace period recomputes flags without matching again', () => {
    const stats: ReviewModelStats = { builds: 0, matched: 0 };
    const m = model(ACCOUNTS, PEOPLE, new Map(), stats);
    expect(m.row('a-lee')?.flags.map((f) => f.flag)).toEqual(['should_revoke', 'revoke_overdue']);
    m.setContext({ graceDays: 10, dormantDays: 90 }, TODAY);
    expect(m.row('a-lee')?.flags.map((f) => f.flag)).toEqual(['should_revoke']);
    m.setContext({ graceDays: 10, dormantDays: 90 }, '2025-03-20');
    expect(m.rows()).toEqual(fresh(new Map(), PEOPLE, { graceDays: 10, dormantDays: 90 }, '2025-03-20'));
    expect(stats.matched).toBe(ACCOUNTS.length);
  });

  it('a new roster re-matches every account', () => {
    const stats: ReviewModelStats = { builds: 0, matched: 0 };
    const m = model(ACCOUNTS, PEOPLE, new Map(), stats);
    m.setRoster(rosterContext('r2', [ann]));
    expect(m.rows()).toEqual(fresh(new Map(), [ann]));
    expect(m.rosterKey).toBe('r2');
    expect(stats.matched).toBe(2 * ACCOUNTS.length);
  });

  it('filters, counting every filter over the search', () => {
    const m = model();
    expect(names(m, { filter: 'filtered' })).toEqual(['Jira Bot']);
    expect(names(m, { filter: 'should_revoke' })).toEqual(['Lee Park']);
    expect(names(m, { filter: 'revoke_overdue' })).toEqual(['Lee Park']);
    expect(names(m, { filter: 'privileged_guest' })).toEqual(['guest person']);
    expect(names(m, { filter: 'needs_confirmation' })).toEqual(['Zoe Okonom']);
    expect(names(m, { filter: 'unattributed' })).toEqual(['guest person', 'Nobody']);
    const { counts, total } = m.query({ filter: 'review', search: '', sort: 'name', offset: 0, limit: 0 });
    expect(total).toBe(5);
    expect(counts).toEqual({
      review: 5,
      flagged: 4,
      unattributed: 2,
      should_revoke: 1,
      revoke_overdue: 1,
      needs_confirmation: 1,
      privileged_guest: 1,
      admin_without_2sv: 0,
      dormant: 0,
      filtered: 1,
      // Access-review filters: only a review's own query counts them.
      undecided: 0,
      new: 0,
    });
    expect(m.counts()).toEqual(counts);
  });

  it('searches name, email, account id, group and owner, ignoring case and accents', () => {
    const m = model();
    expect(names(m, { search: 'LEE@acme' })).toEqual(['Lee Park']);
    expect(names(m, { search: 'a-guest' })).toEqual(['guest person']);
    expect(names(m, { search: 'confluence-admins' })).toEqual(['guest person', 'Lee Park']);
    // "Zoë Ökonom" is the roster owner of the "Zoe Okonom" account.
    expect(names(m, { search: 'ökonom' })).toEqual(['Zoe Okonom']);
    const page = m.query({ filter: 'filtered', search: 'lee', sort: 'name', offset: 0, limit: 10 });
    expect(page.total).toBe(0);
    expect(page.counts.review).toBe(2); // Ann Lee and Lee Park match the search
  });

  it('sorts by severity, groups and role, ties in name order', () => {
    const m = model();
    expect(names(m, { sort: 'severity' })).toEqual(['Lee Park', 'guest person', 'Nobody', 'Zoe Okonom', 'Ann Lee']);
    expect(names(m, { sort: 'groups' })).toEqual(['Lee Park', 'Ann Lee', 'guest person', 'Zoe Okonom', 'Nobody']);
    expect(names(m, { sort: 'role' })).toEqual(['guest person', 'Lee Park', 'Ann Lee', 'Zoe Okonom', 'Nobody']);
    // A mark that clears a flag moves the account in the severity order.
    m.setMark('a-guest', external());
    expect(names(m, { sort: 'severity' })).toEqual(['Lee Park', 'guest person', 'Nobody', 'Zoe Okonom', 'Ann Lee']);
    m.setMark('a-nobody', external());
    expect(names(m, { sort: 'severity' })).toEqual(['Lee Park', 'guest person', 'Zoe Okonom', 'Ann Lee', 'Nobody']);
  });

  it('pages: offset and limit over the filtered, sorted rows, with the total', () => {
    const many = Array.from({ length: 250 }, (_, i) => account({ accountId: `id-${i}`, displayName: `User ${String(i).padStart(3, '0')}` }));
    const m = model(many, []);
    const page = m.query({ filter: 'review', search: '', sort: 'name', offset: 100, limit: 50 });
    expect(page.total).toBe(250);
    expect(page.offset).toBe(100);
    expect(page.rows.map((r) => r.account.displayName)).toEqual(Array.from({ length: 50 }, (_, i) => `User ${String(100 + i).padStart(3, '0')}`));
    expect(m.query({ filter: 'review', search: '', sort: 'name', offset: 240, limit: 50 }).rows).toHaveLength(10);
  });

  it('new activity data re-flags without matching again: dormant and admins without 2SV', () => {
    const stats: ReviewModelStats = { builds: 0, matched: 0 };
    const m = model(ACCOUNTS, PEOPLE, new Map(), stats);
    const source = { kind: 'user-export' as const, date: '2025-03-09' };
    m.setActivity(
      new Map([
        ['a-ann', { lastActive: { value: '2024-10-01', scope: 'site' as const, source, addedToOrg: null }, mfa: { value: 'on' as const, source } }],
        ['a-lee', { lastActive: null, mfa: { value: 'off' as const, source } }],
        ['a-bot', { lastActive: { value: 'never', scope: 'site' as const, source, addedToOrg: null }, mfa: null }],
      ]),
    );
    expect(stats.matched).toBe(ACCOUNTS.length);
    expect(m.row('a-ann')?.flags.map((f) => f.flag)).toEqual(['dormant']);
    expect(m.row('a-ann')?.flags[0]?.explanation).toBe(
      'No Confluence activity on this site for 160 days (more than 90): last seen 1 Oct 2024 per the user export of 9 Mar 2025',
    );
    expect(m.row('a-lee')?.flags.map((f) => f.flag)).toContain('admin_without_2sv');
    // Filtered accounts get no flag, whatever the data says.
    expect(m.row('a-bot')?.flags).toEqual([]);
    expect(names(m, { filter: 'dormant' })).toEqual(['Ann Lee']);
    expect(m.counts().admin_without_2sv).toBe(1);
    // Least recently active first, unknown last.
    expect(names(m, { sort: 'activity' })).toEqual(['Ann Lee', 'guest person', 'Lee Park', 'Nobody', 'Zoe Okonom']);
  });
});

describe('queryReview by group, and the view cache', () => {
  it('limits to a group by id or name and pages through a cached view', async () => {
    const mk = (i: number, groups: { id: string; name: string }[]) => ({
      site: 'https://acme.atlassian.net', accountId: `5b10ac8d82e05b22cc7d${String(i).padStart(4, '0')}`, displayName: `P${String(i).padStart(3, '0')}`, publicName: '', email: null,
      emailSource: 'none' as const, accountType: 'atlassian' as const, status: 'active' as const, statusSignal: null, isGuest: false, groups, role: 'read' as const, operations: [], filteredReason: null, filteredDetail: null,
    });
    const admins = { id: 'g-a', name: 'confluence-admins' };
    const users = { id: 'g-u', name: 'confluence-users' };
    const accounts = Array.from({ length: 250 }, (_, i) => mk(i, i % 5 === 0 ? [admins, users] : [users]));
    const model = new ReviewModel({ site: 'https://acme.atlassian.net', snapshotId: 's', accounts, roster: rosterContext('', []), marks: new Map(), settings: { graceDays: 3, dormantDays: 90 }, today: '2026-12-01' });
    const q = { filter: 'review' as const, search: '', sort: 'name' as const, offset: 0, limit: 20 };
    const byId = model.query({ ...q, group: 'g-a' });
    expect(byId.total).toBe(50);
    expect(byId.group).toEqual(admins);
    expect(model.query({ ...q, group: 'CONFLUENCE-ADMINS' }).rows.map((r) => r.account.accountId)).toEqual(byId.rows.map((r) => r.account.accountId));
    expect(model.query({ ...q, group: 'no-such-group' })).toMatchObject({ total: 0, rows: [], group: null });
    // Pages of one view: the same order, no gaps, no repeats.
    const all = [];
    for (let offset = 0; offset < 250; offset += 20) all.push(...model.query({ ...q, offset }).rows.map((r) => r.account.displayName));
    expect(all).toEqual(accounts.map((a) => a.displayName));
    // A change (a mark) is seen by the next query of the same view.
    expect(model.query({ ...q, filter: 'unattributed' }).total).toBe(250);
    model.setMark(accounts[0]!.accountId, { kind: 'service', reason: 'bot', at: '2026-12-01T00:00:00Z' });
    expect(model.query({ ...q, filter: 'unattributed' }).total).toBe(249);
    expect(model.query({ ...q, filter: 'unattributed', group: 'g-a' }).counts.unattributed).toBe(49);
  });
});

describe('a mark mends the cached views and sort orders in place', () => {
  // A seeded generator, so a failure can be replayed.
  function rng(seed: number) {
    let x = seed >>> 0;
    return () => {
      x = (x * 1664525 + 1013904223) >>> 0;
      return x / 2 ** 32;
    };
  }

  it('gives, after every one of many random marks, exactly what a model built with those marks gives', () => {
    const random = rng(7);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const g1 = { id: 'g1', name: 'confluence-users' };
    const g2 = { id: 'g2', name: 'confluence-admins' };
    const g3 = { id: 'g3', name: 'jira-users' };
    const people = Array.from({ length: 40 }, (_, k) =>
      person({
        id: `email:p${k}@acme.com`,
        name: `Person ${k} ${pick(['Smith', 'Lee', 'Öz'])}`,
        workEmail: `p${k}@acme.com`,
        endDate: k % 4 === 0 ? pick(['2025-03-01', '2025-03-09', '2025-06-01']) : null,
        row: k + 2,
      }),
    );
    const accounts = Array.from({ length: 160 }, (_, k) =>
      account({
        accountId: `5b10ac8d82e05b22cc7d${String(k).padStart(4, '0')}`,
        // Repeated names: ties broken by account id.
        displayName: `${pick(['Ann', 'Bo', 'Cy', 'Person'])} ${k % 50}`,
        email: k % 3 === 0 ? null : `p${k % 60}@acme.com`,
        emailSource: k % 3 === 0 ? 'none' : 'confluence',
        isGuest: k % 17 === 0,
        groups: pick([[g1], [g1, g2], [g2, g3], [], [g1, g2, g3]]),
        role: pick(['admin', 'write', 'read', 'none'] as const),
        ...(k % 23 === 0 ? { accountType: 'app' as const, filteredReason: 'app' as const, filteredDetail: 'App' } : {}),
      }),
    );
    const build = (marks: Map<string, OwnerMark>) =>
      new ReviewModel({ site: SITE, snapshotId: 's1', accounts, roster: rosterContext('r1', people), marks, settings, today: TODAY });
    const views = [
      { filter: 'review', search: '', sort: 'name', group: null },
      { filter: 'unattributed', search: '', sort: 'severity', group: null },
      { filter: 'flagged', search: '', sort: 'severity', group: null },
      { filter: 'should_revoke', search: '', sort: 'groups', group: null },
      { filter: 'review', search: 'smith', sort: 'role', group: null },
      { filter: 'needs_confirmation', search: 'person', sort: 'severity', group: 'g2' },
    ] as const;
    const live = build(new Map());
    const query = (m: ReviewModel, v: { filter: ReviewFilter; search: string; sort: ReviewSort; group: string | null }) => m.query({ ...v, offset: 0, limit: 1000 });
    for (const v of views) query(live, v); // warm: these views are now cached

    const marks = new Map<string, OwnerMark>();
    for (let step = 0; step < 120; step++) {
      const id = pick(accounts).accountId;
      const who = pick(people).id;
      const mark = pick([link(who), confirm(who), unlink(who), external(), service(), null]);
      if (mark) marks.set(id, mark);
      else marks.delete(id);
      live.setMark(id, mark);
      const rebuilt = build(marks);
      for (const v of views) {
        const mended = query(live, v);
        const full = query(rebuilt, v);
        expect({ step, v, total: mended.total, counts: mended.counts, ids: mended.rows.map((r) => r.account.accountId) }).toEqual({
          step,
          v,
          total: full.total,
          counts: full.counts,
          ids: full.rows.map((r) => r.account.accountId),
        });
        expect(mended.rows).toEqual(full.rows);
      }
      // A view first asked for after the marks (its order mended, not computed) agrees too.
      if (step % 20 === 19) {
        const v: { filter: ReviewFilter; search: string; sort: ReviewSort; group: null } = { filter: pick(['review', 'flagged', 'unattributed'] as const), search: '', sort: pick(['severity', 'role', 'groups'] as const), group: null };
        expect(query(live, v).rows).toEqual(query(rebuilt, v).rows);
      }
    }
  });

  it('answers the views cached before a mark without another pass over the rows', () => {
    const m = model();
    const q = { filter: 'unattributed' as const, search: '', sort: 'severity' as const, offset: 0, limit: 100 };
    const before = m.query(q).total;
    m.counts(); // the popup's counts: a second cached view
    const order = vi.spyOn(RowLookups.prototype, 'order');
    try {
      m.setMark('a-nobody', external());
      expect(m.query(q).total).toBe(before - 1);
      expect(m.counts().unattributed).toBe(before - 1);
      m.setMark('a-nobody', null);
      expect(m.query(q).total).toBe(before);
      expect(order).not.toHaveBeenCalled();
    } finally {
      order.mockRestore();
    }
  });
});
