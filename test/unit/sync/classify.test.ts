import { describe, expect, it } from 'vitest';
import type { BulkUser, JiraUser, RawMember } from '../../../lib/atlassian/api';
import type { Operation, Role } from '../../../lib/model';
import { classifyAccount, needsJiraEmail, roleFromOperations } from '../../../lib/sync/classify';
import { member } from './fake-api';

const SITE = 'https://acme.atlassian.net';
const op = (operation: string, targetType: string): Operation => ({ operation, targetType });
const bulk = (b: Partial<BulkUser>): BulkUser => ({ accountId: 'u1', accountType: 'atlassian', accountStatus: null, email: null, ...b });
const jira = (j: Partial<JiraUser>): JiraUser => ({ accountId: 'u1', emailAddress: null, active: true, ...j });

describe('roleFromOperations', () => {
  const cases: [string, Operation[] | null, Role][] = [
    ['no expansion', null, 'none'],
    ['empty list', [], 'none'],
    ['administer application', [op('use', 'application'), op('administer', 'application')], 'admin'],
    ['administer on any target', [op('administer', 'space')], 'admin'],
    ['create page', [op('use', 'application'), op('create', 'page')], 'write'],
    ['update blogpost', [op('update', 'blogpost')], 'write'],
    ['delete comment', [op('delete', 'comment')], 'write'],
    ['create attachment', [op('create', 'attachment')], 'write'],
    ['create space (decided: write)', [op('create', 'space')], 'write'],
    ['create_space (decided: write)', [op('create_space', 'application')], 'write'],
    ['create on application is not content', [op('create', 'application'), op('use', 'application')], 'read'],
    ['read space', [op('read', 'space')], 'read'],
    ['use application', [op('use', 'application')], 'read'],
    ['export only', [op('export', 'page')], 'none'],
    ['archive page only', [op('archive', 'page')], 'none'],
  ];
  it.each(cases)('%s → %s', (_label, ops, role) => {
    expect(roleFromOperations(ops)).toBe(role);
  });

  it('ignores group names entirely', () => {
    const account = classifyAccount(SITE, member('u1', { operations: [op('use', 'application')] }), [{ id: 'g', name: 'confluence-admins' }], undefined, undefined);
    expect(account.role).toBe('read');
  });
});

describe('classifyAccount: type, status and filtering', () => {
  type Case = [string, Partial<RawMember>, BulkUser | undefined, Partial<ReturnType<typeof classifyAccount>>];
  const cases: Case[] = [
    ['v1 app → filtered app',
      { accountType: 'app' }, undefined,
      { accountType: 'app', filteredReason: 'app', filteredDetail: 'App/bot account (accountType "app")' }],
    ['v2 app → filtered app',
      { accountType: '' }, bulk({ accountType: 'app', accountStatus: 'active' }),
      { accountType: 'app', filteredReason: 'app', filteredDetail: 'App/bot account (users-bulk accountType "app")' }],
    ['app takes precedence over inactive',
      { accountType: 'app', operations: [] }, bulk({ accountType: 'app', accountStatus: 'closed' }),
      { accountType: 'app', status: 'inactive', filteredReason: 'app' }],
    ['v2 customer maps to unknown type',
      { accountType: '' }, bulk({ accountType: 'customer', accountStatus: 'active' }),
      { accountType: 'unknown', status: 'active', filteredReason: null }],
    ['v1 empty type and no v2 → unknown type',
      { accountType: '' }, undefined,
      { accountType: 'unknown' }],
    ['v2 closed → inactive',
      {}, bulk({ accountStatus: 'closed' }),
      { status: 'inactive', statusSignal: 'users-bulk accountStatus "closed"', filteredReason: 'inactive',
        filteredDetail: 'Inactive account (users-bulk accountStatus "closed")' }],
    ['v2 inactive → inactive',
      {}, bulk({ accountStatus: 'inactive' }),
      { status: 'inactive', statusSignal: 'users-bulk accountStatus "inactive"', filteredReason: 'inactive' }],
    ['v2 active wins over empty operations',
      { operations: [] }, bulk({ accountStatus: 'active' }),
      { status: 'active', statusSignal: 'users-bulk accountStatus "active"', filteredReason: null }],
    ['v2 active wins over an "(Unlicensed)" name',
      { displayName: 'Foo (Unlicensed)', operations: null }, bulk({ accountStatus: 'active' }),
      { status: 'active', filteredReason: null }],
    ['no v2 answer + empty operations → inactive',
      { operations: [] }, undefined,
      { status: 'inactive', statusSignal: 'no Confluence operations (expand=operations returned [])', filteredReason: 'inactive' }],
    ['v2 unknown status + empty operations → inactive',
      { operations: [] }, bulk({ accountStatus: 'unknown' }),
      { status: 'inactive', statusSignal: 'no Confluence operations (expand=operations returned [])' }],
    ['v2 null status + operations present → active',
      {}, bulk({ accountStatus: null }),
      { status: 'active', statusSignal: 'Confluence operations present (expand=operations)', filteredReason: null }],
    ['empty operations beat the name (operations available)',
      { operations: [], displayName: 'Plain Name' }, undefined,
      { status: 'inactive' }],
    ['operations present beat an "(Unlicensed)" name',
      { displayName: 'Foo (Unlicensed)' }, undefined,
      { status: 'active' }],
    ['no operations, display name "(Unlicensed)" → inactive',
      { operations: null, displayName: 'Foo (Unlicensed)' }, undefined,
      { status: 'inactive', statusSignal: 'name ends with "(Unlicensed)" ("Foo (Unlicensed)")', filteredReason: 'inactive' }],
    ['no operations, public name "(Deactivated)" → inactive',
      { operations: null, displayName: null, publicName: 'Bar (Deactivated)' }, undefined,
      { status: 'inactive', statusSignal: 'name ends with "(Deactivated)" ("Bar (Deactivated)")' }],
    ['"(Unlicensed)" not at the end does not count',
      { operations: null, displayName: '(Unlicensed) Foo' }, undefined,
      { status: 'unknown', statusSignal: null, filteredReason: null }],
    ['no signal at all → unknown, kept in review',
      { operations: null }, undefined,
      { status: 'unknown', statusSignal: null, filteredReason: null, filteredDetail: null }],
  ];
  it.each(cases)('%s', (_label, overrides, bulkUser, expected) => {
    const account = classifyAccount(SITE, member('u1', overrides), [], bulkUser, undefined);
    expect(account).toMatchObject(expected);
  });
});

describe('classifyAccount: email precedence', () => {
  type Case = [string, string | null, BulkUser | undefined, JiraUser | undefined | 'forbidden', string | null, string];
  const cases: Case[] = [
    ['v1 email', 'a@x.io', bulk({ email: 'b@x.io' }), jira({ emailAddress: 'c@x.io' }), 'a@x.io', 'confluence'],
    ['v1 empty → v2 email', '', bulk({ email: 'b@x.io' }), jira({ emailAddress: 'c@x.io' }), 'b@x.io', 'confluence'],
    ['v1 null, v2 empty → Jira', null, bulk({ email: '' }), jira({ emailAddress: 'c@x.io' }), 'c@x.io', 'jira'],
    ['no Confluence email, Jira hides it too', '', undefined, jira({ emailAddress: null }), null, 'none'],
    ['Jira not asked', '', undefined, undefined, null, 'none'],
    ['Jira forbidden', '', undefined, 'forbidden', null, 'none'],
  ];
  it.each(cases)('%s', (_label, v1, bulkUser, jiraUser, email, source) => {
    const account = classifyAccount(SITE, member('u1', { email: v1 }), [], bulkUser, jiraUser);
    expect(account.email).toBe(email);
    expect(account.emailSource).toBe(source);
  });

  it('asks Jira only for Atlassian accounts without a Confluence email', () => {
    expect(needsJiraEmail(member('u1', { email: '' }), undefined)).toBe(true);
    expect(needsJiraEmail(member('u1', { email: '' }), bulk({ email: 'b@x.io' }))).toBe(false);
    expect(needsJiraEmail(member('u1', { email: 'a@x.io' }), undefined)).toBe(false);
    expect(needsJiraEmail(member('u1', { email: '', accountType: 'app' }), undefined)).toBe(false);
  });
});

describe('classifyAccount: guests, names, groups', () => {
  const guestCases: [boolean | null, boolean | null, boolean][] = [
    [true, null, true],
    [false, true, false],
    [null, true, true],
    [null, false, false],
    [null, null, false],
  ];
  it.each(guestCases)('isGuest %s, isExternalCollaborator %s → %s', (isGuest, isExternalCollaborator, expected) => {
    expect(classifyAccount(SITE, member('u1', { isGuest, isExternalCollaborator }), [], undefined, undefined).isGuest).toBe(expected);
  });

  it('sorts groups by name and falls back to the public name for display', () => {
    const account = classifyAccount(
      SITE,
      member('u1', { displayName: null, publicName: 'Pub' }),
      [{ id: '2', name: 'zeta' }, { id: '1', name: 'alpha' }],
      undefined,
      undefined,
    );
    expect(account.groups.map((g) => g.name)).toEqual(['alpha', 'zeta']);
    expect(account.displayName).toBe('Pub');
    expect(account.site).toBe(SITE);
  });
});
