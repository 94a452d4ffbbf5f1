/**
 * Connecting with an email and API token: which base URL the token works on, and whether the
 * connection reaches a Jira (issue 8, items 1 and 2).
 *
 * Atlassian issues two kinds of API token (../../shared/atlassian-api.md §10, KB "Scoped API
 * Tokens in Confluence Cloud", "Manage API tokens for your Atlassian account"):
 * - classic (unscoped) tokens, Basic `email:token` against `https://<site>.atlassian.net`, being
 *   retired;
 * - scoped tokens — the only kind service accounts can create — which work only through the
 *   gateway `https://api.atlassian.com/ex/{product}/{cloudId}/…` with the same Basic header; the site
 *   host answers them 401 (KB "401 Unauthorized error when service account accesses Jira or
 *   Confluence API").
 * So: read the cloudId from `/_edge/tenant_info` (§1.5), try the site, and on a refusal (401, or
 * an anonymous `user/current` on a site open to anonymous users) try the gateway with the same
 * credentials. The base that answered is remembered and used for every call, Jira's included.
 */
import type { ConfluenceApi } from './api';
import { createConfluenceApi, type ApiBase, type ConfluenceApiOptions } from './confluence';
import { AuthRevokedError, NotFoundError } from './errors';
import type { FetchLike } from './http';
import { getTenantCloudId } from './tenant-info';

export interface ApiTokenProbeInput {
  fetch: FetchLike;
  /** Canonical `https://<name>.atlassian.net`. */
  site: string;
  email: string;
  apiToken: string;
  /** Passed to the clients (tests: sleep, now). */
  client?: Partial<Pick<ConfluenceApiOptions, 'sleep' | 'now' | 'random' | 'policy'>>;
}

export interface ApiTokenProbeResult {
  apiBase: ApiBase;
  cloudId: string | null;
  /** The token owner's display name, as `user/current` gave it. */
  connectedAs: string | null;
  /** A Jira answered `myself` through the same base (issue 8, item 2: "a first probe succeeds"). */
  hasJira: boolean;
  /** Why Jira is off, in words, when it is. */
  jiraDetail: string | null;
}

/** The credentials or the site were refused; `message` is for the admin as it is. */
export class ApiTokenConnectError extends Error {
  constructor(
    readonly kind: 'rejected' | 'not-confluence',
    message: string,
  ) {
    super(message);
    this.name = 'ApiTokenConnectError';
  }
}

export async function probeApiToken(input: ApiTokenProbeInput): Promise<ApiTokenProbeResult> {
  const { fetch, site, email, apiToken } = input;
  const cloudId = await getTenantCloudId(fetch, site);
  const clientFor = (apiBase: ApiBase): ConfluenceApi =>
    createConfluenceApi({ ...input.client, fetch, site, cloudId, apiBase, auth: { kind: 'basic', email, apiToken } });
  const rejected = () => new ApiTokenConnectError('rejected', `${site} did not accept this email and API token. Check both and try again.`);

  let apiBase: ApiBase = 'site';
  let api = clientFor('site');
  let me;
  try {
    me = await api.currentUser();
  } catch (error) {
    // A site name that does not exist (or has no Confluence) answers 404 to every API path.
    if (error instanceof NotFoundError) {
      throw new ApiTokenConnectError('not-confluence', `${site} did not answer as a Confluence Cloud site (HTTP 404). Check the address and that the site has Confluence.`);
    }
    if (!(error instanceof AuthRevokedError)) throw error;
    // Maybe a scoped token: the gateway needs the cloudId, which only tenant_info gives here.
    if (cloudId === null) throw rejected();
    apiBase = 'gateway';
    api = clientFor('gateway');
    try {
      me = await api.currentUser();
    } catch (gatewayError) {
      // ScopeError (a scoped token without the scope user/current needs) says which scope to add.
      if (gatewayError instanceof AuthRevokedError || gatewayError instanceof NotFoundError) throw rejected();
      throw gatewayError;
    }
  }

  const jira = await api.probeJira();
  return {
    apiBase,
    cloudId,
    connectedAs: me.displayName ?? me.publicName ?? null,
    hasJira: jira.ok,
    jiraDetail: jira.ok ? null : jira.detail,
  };
}
