/**
 * A small hand-written scenario and helpers shared by the fake-atlassian tests.
 */
import { OAUTH_CALLBACK_URL } from '../../../lib/extension-identity';
import { ADMIN_OPERATIONS, NO_OPERATIONS, READER_OPERATIONS, WRITER_OPERATIONS } from '../../fake-atlassian/generate';
import type { FakeAtlassian } from '../../fake-atlassian/server';
import { parseScenario, type Scenario, type ScenarioInput, type ScenarioUser } from '../../fake-atlassian/scenario';

/** A scenario user as written (defaults such as emailVisibility "anyone" filled in by parseScenario). */
type UserInput = ScenarioInput['sites'][number]['users'][number];

export const CALLBACK = OAUTH_CALLBACK_URL;
export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-secret';
export const ADMIN_EMAIL = 'admin@acme.test';
export const ADMIN_TOKEN = 'admin-token';
export const ACME_CLOUD_ID = '11111111-1111-4111-8111-111111111111';
export const LABS_CLOUD_ID = '22222222-2222-4222-8222-222222222222';
export const OTHER_CLOUD_ID = '33333333-3333-4333-8333-333333333333';
export const ADMIN_ID = '557058:aaaaaaaa-0000-4000-8000-000000000001';
export const FULL_SCOPES = 'read:confluence-groups read:confluence-user read:user:confluence read:jira-user offline_access';

/** `count` users with sequential 24-hex ids, `prefix` making them unique per group. */
export function users(count: number, prefix: string, patch: Partial<ScenarioUser> = {}): ScenarioUser[] {
  return Array.from({ length: count }, (_, i) => ({
    accountId: `${prefix}${i.toString(16).padStart(24 - prefix.length, '0')}`,
    accountType: 'atlassian' as const,
    displayName: `User ${prefix} ${i}`,
    publicName: `User ${prefix} ${i}`,
    email: `user.${prefix}.${i}@acme.test`,
    emailVisibility: 'anyone' as const,
    accountStatus: 'active' as const,
    isGuest: false,
    timeZone: 'Europe/London',
    operations: READER_OPERATIONS,
    ...patch,
  }));
}

export function testScenario(): Scenario {
  const admin: UserInput = { accountId: ADMIN_ID, accountType: 'atlassian', displayName: 'Ada Admin', publicName: 'Ada Admin', email: '', accountStatus: 'active', isGuest: false, timeZone: null, operations: ADMIN_OPERATIONS };
  const special: UserInput[] = [
    { accountId: '5b10ac8d82e05b22cc7d4ef5', accountType: 'atlassian', displayName: 'Hidden Hannah', publicName: 'Hannah', email: '', jiraEmail: 'hannah@acme.test', accountStatus: 'active', isGuest: false, timeZone: null, operations: WRITER_OPERATIONS },
    { accountId: '5b10ac8d82e05b22cc7d4ef6', accountType: 'atlassian', displayName: 'Null Nick', publicName: 'Nick', email: null, accountStatus: 'active', isGuest: false, timeZone: null, operations: READER_OPERATIONS },
    { accountId: '5b10ac8d82e05b22cc7d4ef7', accountType: 'app', displayName: 'Robot', publicName: 'Robot', email: 'robot@connect.atlassian.com', accountStatus: 'active', isGuest: false, timeZone: null, operations: WRITER_OPERATIONS },
    { accountId: '5b10ac8d82e05b22cc7d4ef8', accountType: 'atlassian', displayName: 'Gone Gina (Unlicensed)', publicName: 'Gone Gina', email: 'gina@acme.test', accountStatus: 'inactive', isGuest: false, timeZone: null, operations: NO_OPERATIONS },
    { accountId: '712020:0b6ad0ef-1cd3-4e0b-9a57-5b2b8a0c0e11', accountType: 'atlassian', displayName: 'Guest Gus', publicName: 'Gus', email: 'gus@partner.test', accountStatus: 'closed', isGuest: true, timeZone: null, operations: NO_OPERATIONS },
  ];
  const exactly200 = users(200, 'a');
  const twoHundredOne = users(201, 'b');
  const all = [admin, ...special, ...exactly200, ...twoHundredOne];
  return parseScenario({
    name: 'test',
    sites: [
      {
        name: 'acme',
        cloudId: ACME_CLOUD_ID,
        displayName: 'Acme',
        jira: true,
        users: all,
        groups: [
          { id: 'g-200', name: 'confluence-users-200', members: exactly200.map((u) => u.accountId) },
          { id: 'g-201', name: 'confluence-users-201', members: twoHundredOne.map((u) => u.accountId) },
          { id: 'g-empty', name: 'confluence-users-empty', members: [] },
          { id: 'g-admins', name: 'confluence-admins', members: [ADMIN_ID] },
          { id: 'g-special', name: 'an-early-name', members: special.map((u) => u.accountId) },
        ],
      },
      { name: 'acme-labs', cloudId: LABS_CLOUD_ID, displayName: 'Acme Labs', jira: false, users: [admin], groups: [{ id: 'l-1', name: 'confluence-users', members: [ADMIN_ID] }] },
      { name: 'other-org', cloudId: OTHER_CLOUD_ID, displayName: 'Other Org', jira: false, users: [admin], groups: [] },
    ],
    identities: [
      {
        accountId: ADMIN_ID,
        email: ADMIN_EMAIL,
        displayName: 'Ada Admin',
        apiTokens: [ADMIN_TOKEN],
        sites: [
          { site: 'acme', canViewGroups: true, jiraBrowseUsers: true },
          { site: 'acme-labs', canViewGroups: true, jiraBrowseUsers: true },
        ],
        oauthSites: ['acme', 'acme-labs'],
      },
      {
        accountId: '557058:bbbbbbbb-0000-4000-8000-000000000002',
        email: 'viewer@acme.test',
        displayName: 'Vic Viewer',
        apiTokens: ['viewer-token'],
        sites: [{ site: 'acme', canViewGroups: false, jiraBrowseUsers: false }],
        oauthSites: ['other-org'],
      },
    ],
    oauthApps: [{ name: 'Access Lens', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackUrls: [CALLBACK] }],
    oauthUser: ADMIN_EMAIL,
  } satisfies ScenarioInput);
}

export function basic(email = ADMIN_EMAIL, token = ADMIN_TOKEN): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function authorizeUrl(params: Record<string, string | null> = {}): string {
  const all: Record<string, string | null> = {
    audience: 'api.atlassian.com',
    client_id: CLIENT_ID,
    scope: FULL_SCOPES,
    redirect_uri: CALLBACK,
    state: 'state-123',
    response_type: 'code',
    prompt: 'consent',
    ...params,
  };
  // §1.1: scopes separated by %20, not '+'.
  const q = Object.entries(all)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
    .join('&');
  return `https://auth.atlassian.com/authorize?${q}`;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

export async function postToken(fake: FakeAtlassian, body: Record<string, string>): Promise<Response> {
  return fake.fetch('https://auth.atlassian.com/oauth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Runs authorize (consent mode 'auto' must be set) and the code exchange. */
export async function login(fake: FakeAtlassian, scope = FULL_SCOPES): Promise<Tokens> {
  fake.setConsent('auto');
  const res = await fake.fetch(authorizeUrl({ scope }));
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`authorize did not redirect with a code (status ${res.status})`);
  const tok = await postToken(fake, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: CALLBACK });
  if (tok.status !== 200) throw new Error(`token exchange failed: ${tok.status} ${await tok.text()}`);
  return (await tok.json()) as Tokens;
}

export function refresh(fake: FakeAtlassian, refreshToken: string): Promise<Response> {
  return postToken(fake, { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, refresh_token: refreshToken });
}

export const gw = (path: string, cloudId = ACME_CLOUD_ID) => `https://api.atlassian.com/ex/confluence/${cloudId}${path}`;
export const jiraGw = (path: string, cloudId = ACME_CLOUD_ID) => `https://api.atlassian.com/ex/jira/${cloudId}${path}`;
