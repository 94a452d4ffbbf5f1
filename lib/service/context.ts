/**
 * What every request handler shares: the store, the browser platform, the clock, credentials
 * turned into API clients (token managers kept per site), the running syncs and the warm review
 * models. One per service worker; built by `createService`.
 */
import type { ConfluenceApi } from '../atlassian/api';
import { createConfluenceApi } from '../atlassian/confluence';
import { AuthRevokedError, NotFoundError, PermissionError, ScopeError } from '../atlassian/errors';
import { refreshTokens } from '../atlassian/oauth';
import { createTokenManager, type TokenManager } from '../atlassian/token-manager';
import type { SiteUrl } from '../model';
import { todayIn } from '../roster/dates';
import { getConnection, updateConnection } from '../store/connections';
import { getCredentials, putCredentials } from '../store/credentials';
import type { ConnectionRecord, CredentialsRecord, Store } from '../store/schema';
import { UserError } from './errors';
import type { Platform } from './platform';
import type { ActivityRunner } from './activity-runner';
import { createAuditLog, type AuditFn } from './audit-log';
import type { Campaigns } from './campaigns';
import type { ReviewModels } from './reviews';
import type { SyncRunner } from './sync-runner';

export interface ServiceContext {
  readonly platform: Platform;
  store(): Promise<Store>;
  now(): Date;
  nowIso(): string;
  /** One clock for token expiry: `expiresAt` is written and compared with the same `now`. */
  nowMs(): number;
  /** YYYY-MM-DD in the admin's time zone. */
  today(): string;
  requireConnection(site: SiteUrl): Promise<ConnectionRecord>;
  /** An API client for the site with its stored credentials. */
  apiFor(conn: ConnectionRecord): Promise<ConfluenceApi>;
  /** Drops the site's token manager (new credentials, disconnect). */
  forgetTokens(site: SiteUrl): void;
  /** Records a failure on the connection; a revoked grant disconnects the site. */
  recordError(site: SiteUrl, error: unknown): Promise<void>;
  /** Tells every open page that the site's state (or, with null, global state) changed. */
  changed(site: SiteUrl | null): void;
  /** Appends to the site's hash-chained audit log (null: every connected site's). */
  audit: AuditFn;
  /** Resolves when pending audit appends are written (tests). */
  auditIdle(): Promise<void>;
  readonly syncs: SyncRunner;
  readonly reviews: ReviewModels;
  readonly activity: ActivityRunner;
  readonly campaigns: Campaigns;
}

/** The parts of the context that do not depend on syncs, reviews, the activity phase and access reviews. */
export type BaseContext = Omit<ServiceContext, 'syncs' | 'reviews' | 'activity' | 'campaigns'>;

/**
 * What the admin can do about a failed sync, decided by the error's class: a missing scope needs
 * the app's permissions and a new connection; a group that cannot be read (deleted, or the
 * account may not view it) needs the tracked groups edited.
 */
export function fixFor(error: unknown): 'reconnect' | 'groups' | null {
  if (error instanceof AuthRevokedError || error instanceof ScopeError) return 'reconnect';
  if ((error instanceof PermissionError || error instanceof NotFoundError) && /\/group\b|\/group\//.test(error.endpoint)) return 'groups';
  return null;
}

export function createBaseContext(platform: Platform, openStore: () => Promise<Store>): BaseContext {
  let storePromise: Promise<Store> | null = null;
  const store = () => (storePromise ??= openStore());
  const tokenManagers = new Map<SiteUrl, TokenManager>();
  const nowMs = () => platform.now().getTime();
  const auditLog = createAuditLog(store, () => platform.now().toISOString());

  function tokenManagerFor(site: SiteUrl, creds: Extract<CredentialsRecord, { kind: 'oauth' }>): TokenManager {
    let tm = tokenManagers.get(site);
    if (!tm) {
      tm = createTokenManager({
        load: async () => {
          const current = await getCredentials(await store(), site);
          if (current?.kind !== 'oauth') throw new AuthRevokedError('The connection has no OAuth tokens. Connect again.');
          return current.tokens;
        },
        // atlassian-api.md §1.4 rotation: the new refresh token is persisted before anyone uses
        // the new access token.
        save: async (tokens) => {
          const current = await getCredentials(await store(), site);
          if (current?.kind !== 'oauth') return;
          await putCredentials(await store(), { ...current, tokens });
        },
        refresh: (refreshToken) =>
          refreshTokens(platform.fetch, { clientId: creds.clientId, clientSecret: creds.clientSecret, refreshToken }, nowMs),
        now: nowMs,
      });
      tokenManagers.set(site, tm);
    }
    return tm;
  }

  const ctx: BaseContext = {
    platform,
    store,
    now: () => platform.now(),
    nowIso: () => platform.now().toISOString(),
    nowMs,
    today: () => todayIn(platform.timeZone, platform.now()),

    async requireConnection(site) {
      const conn = await getConnection(await store(), site);
      if (!conn) throw new UserError(`${site} is not connected.`);
      return conn;
    },

    async apiFor(conn) {
      const creds = await getCredentials(await store(), conn.site);
      if (!creds) throw new AuthRevokedError('No credentials are stored for this site. Connect again.');
      if (creds.kind === 'apiToken') {
        return createConfluenceApi({
          fetch: platform.fetch,
          site: conn.site,
          cloudId: conn.cloudId,
          // Scoped tokens work only through the gateway; older records predate the choice: the site.
          apiBase: conn.apiBase ?? 'site',
          auth: { kind: 'basic', email: creds.email, apiToken: creds.apiToken },
        });
      }
      const tm = tokenManagerFor(conn.site, creds);
      return createConfluenceApi({
        fetch: platform.fetch,
        site: conn.site,
        cloudId: conn.cloudId,
        auth: { kind: 'bearer', getAccessToken: () => tm.getAccessToken(), refreshAccessToken: (t) => tm.refreshAccessToken(t) },
      });
    },

    forgetTokens: (site) => {
      tokenManagers.delete(site);
    },

    async recordError(site, error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof AuthRevokedError) {
        await updateConnection(await store(), site, (c) => ({ ...c, status: 'disconnected', lastError: message, lastErrorFix: 'reconnect' }));
        tokenManagers.delete(site);
        await platform.scheduleSync(site, null);
        return;
      }
      await updateConnection(await store(), site, (c) => ({ ...c, lastError: message, lastErrorFix: fixFor(error) }));
    },

    changed: (site) => platform.broadcast({ type: 'stateChanged', site }),
    audit: auditLog.append,
    auditIdle: auditLog.idle,
  };
  return ctx;
}
