import type { OwnerMark, Person, SyncedAccount } from '../../../lib/model';

export const SITE = 'https://acme.atlassian.net';

export function account(patch: Partial<SyncedAccount> & { accountId: string }): SyncedAccount {
  return {
    site: SITE,
    displayName: '',
    publicName: '',
    email: null,
    emailSource: 'none',
    accountType: 'atlassian',
    status: 'active',
    statusSignal: null,
    isGuest: false,
    groups: [{ id: 'g1', name: 'confluence-users' }],
    role: 'read',
    operations: [],
    filteredReason: null,
    filteredDetail: null,
    ...patch,
  };
}

export function person(patch: Partial<Person> & { id: string; name: string; row: number }): Person {
  return {
    workEmail: null,
    altEmails: [],
    status: null,
    statusTerminated: false,
    endDate: null,
    startDate: null,
    employeeType: null,
    department: null,
    manager: null,
    ...patch,
  };
}

const AT = '2025-03-01T00:00:00Z';
export const link = (personId: string): OwnerMark => ({ kind: 'link', personId, at: AT });
export const confirm = (personId: string): OwnerMark => ({ kind: 'confirm', personId, at: AT });
export const unlink = (personId: string): OwnerMark => ({ kind: 'unlink', personId, at: AT });
export const external = (reason = 'Agency contractor'): OwnerMark => ({ kind: 'external', reason, at: AT });
export const service = (reason = 'CI bot'): OwnerMark => ({ kind: 'service', reason, at: AT });
