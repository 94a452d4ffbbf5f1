/**
 * Turning what the APIs said about an account into a `SyncedAccount`. Pure; table-tested.
 * Facts: ../shared/atlassian-api.md §3.2 (v1 User), §3.4 (operations, users-bulk), §3.6
 * (deactivated / unlicensed / app accounts), §4 (Jira emails).
 */
import type { BulkUser, JiraUser, RawMember } from '../atlassian/api';
import type {
  AccountStatus,
  AccountType,
  EmailSource,
  FilteredReason,
  GroupRef,
  Operation,
  Role,
  SiteUrl,
  SyncedAccount,
} from '../model';

/** Content an account can change; operations on these mean "write". */
const CONTENT_TARGETS = new Set(['page', 'blogpost', 'comment', 'attachment', 'space']);
const WRITE_OPERATIONS = new Set(['create', 'update', 'delete']);

/**
 * The account's role, from its Confluence operations only (never from group names).
 * - `admin`: any `administer` operation.
 * - `write`: `create`/`update`/`delete` on page, blogpost, comment, attachment — or on `space`,
 *   and `create_space`: whoever may create or change a space can put content in it.
 * - `read`: `read` or `use` (the "Can use" global permission).
 * - `none`: nothing of the above, or no operations expansion.
 */
export function roleFromOperations(ops: Operation[] | null): Role {
  if (!ops) return 'none';
  if (ops.some((o) => o.operation === 'administer')) return 'admin';
  if (ops.some((o) => o.operation === 'create_space' ||
      (WRITE_OPERATIONS.has(o.operation) && CONTENT_TARGETS.has(o.targetType)))) return 'write';
  if (ops.some((o) => o.operation === 'read' || o.operation === 'use')) return 'read';
  return 'none';
}

/**
 * `app` if either API says so; `atlassian` if either says so; otherwise `unknown`. A v2
 * `customer` (a service-desk portal account, §4) is not an Atlassian user account: `unknown`.
 */
export function accountTypeOf(member: RawMember, bulk: BulkUser | null | undefined): AccountType {
  if (member.accountType === 'app' || bulk?.accountType === 'app') return 'app';
  if (member.accountType === 'atlassian' || bulk?.accountType === 'atlassian') return 'atlassian';
  return 'unknown';
}

const INACTIVE_NAME_SUFFIXES = ['(Unlicensed)', '(Deactivated)'];

/**
 * Status, strongest signal first:
 * 1. v2 users-bulk `accountStatus` active / inactive / closed (§3.4: the only documented status);
 * 2. else the operations expansion: `[]` means inactive (§3.6, community observation), a
 *    non-empty list means active;
 * 3. else (no operations) a display/public name ending in "(Unlicensed)" or "(Deactivated)"
 *    (§3.6 warns names may be translated, hence last resort);
 * 4. else unknown.
 */
export function statusOf(member: RawMember, bulk: BulkUser | null | undefined): { status: AccountStatus; signal: string | null } {
  const apiStatus = bulk?.accountStatus;
  if (apiStatus === 'inactive' || apiStatus === 'closed') {
    return { status: 'inactive', signal: `users-bulk accountStatus "${apiStatus}"` };
  }
  if (apiStatus === 'active') return { status: 'active', signal: 'users-bulk accountStatus "active"' };
  if (member.operations) {
    return member.operations.length === 0
      ? { status: 'inactive', signal: 'no Confluence operations (expand=operations returned [])' }
      : { status: 'active', signal: 'Confluence operations present (expand=operations)' };
  }
  for (const name of [member.displayName, member.publicName]) {
    const trimmed = name?.trim() ?? '';
    const suffix = INACTIVE_NAME_SUFFIXES.find((s) => trimmed.toLowerCase().endsWith(s.toLowerCase()));
    if (suffix) return { status: 'inactive', signal: `name ends with "${suffix}" ("${trimmed}")` };
  }
  return { status: 'unknown', signal: null };
}

/** Confluence's email first (v1, then v2), then Jira's; empty strings mean hidden (§3.5). */
export function emailOf(
  member: RawMember,
  bulk: BulkUser | null | undefined,
  jira: JiraUser | null | undefined | 'forbidden',
): { email: string | null; emailSource: EmailSource } {
  const confluence = [member.email, bulk?.email].map((e) => e?.trim() ?? '').find((e) => e !== '');
  if (confluence) return { email: confluence, emailSource: 'confluence' };
  const fromJira = jira && jira !== 'forbidden' ? jira.emailAddress?.trim() ?? '' : '';
  if (fromJira) return { email: fromJira, emailSource: 'jira' };
  return { email: null, emailSource: 'none' };
}

/** True when the account should be looked up in Jira for an email. */
export function needsJiraEmail(member: RawMember, bulk: BulkUser | null | undefined): boolean {
  return accountTypeOf(member, bulk) === 'atlassian' && emailOf(member, bulk, undefined).email === null;
}

export function sortGroups(groups: GroupRef[]): GroupRef[] {
  return [...groups].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function classifyAccount(
  site: SiteUrl,
  member: RawMember,
  groups: GroupRef[],
  bulk: BulkUser | null | undefined,
  jira: JiraUser | null | undefined | 'forbidden',
): SyncedAccount {
  const accountType = accountTypeOf(member, bulk);
  const { status, signal } = statusOf(member, bulk);
  let filteredReason: FilteredReason | null = null;
  let filteredDetail: string | null = null;
  if (accountType === 'app') {
    const said = member.accountType === 'app' ? 'accountType "app"' : 'users-bulk accountType "app"';
    filteredReason = 'app';
    filteredDetail = `App/bot account (${said})`;
  } else if (status === 'inactive') {
    filteredReason = 'inactive';
    filteredDetail = `Inactive account (${signal})`;
  }
  return {
    site,
    accountId: member.accountId,
    displayName: member.displayName?.trim() || member.publicName,
    publicName: member.publicName,
    ...emailOf(member, bulk, jira),
    accountType,
    status,
    statusSignal: signal,
    isGuest: member.isGuest ?? member.isExternalCollaborator ?? false,
    groups: sortGroups(groups),
    role: roleFromOperations(member.operations),
    operations: member.operations ?? [],
    filteredReason,
    filteredDetail,
  };
}
