/**
 * The background's brain: answers the pages' requests and runs syncs. Everything browser-specific
 * (identity, alarms, broadcasting, fetch) comes in through `Platform`, so this module runs the
 * same in the MV3 service worker and in unit tests (fake-indexeddb + the fake Atlassian's fetch).
 * This is the only code that reads credentials, and no response it builds contains one.
 */
import type { ConfluenceApi } from '../atlassian/api';
import { ApiTokenConnectError, probeApiToken } from '../atlassian/api-token-probe';
import { createConfluenceApi } from '../atlassian/confluence';
import { AuthRevokedError, AtlassianError } from '../atlassian/errors';
import type { FetchLike } from '../atlassian/http';
import {
  buildAuthorizeUrl,
  chooseJira,
  chooseResource,
  exchangeCode,
  getAccessibleResources,
  parseCallback,
  refreshTokens,
} from '../atlassian/oauth';
import { normaliseSiteUrl } from '../atlassian/site-url';
import { createTokenManager, type TokenManager } from '../atlassian/token-manager';
import type {
  Broadcast,
  DiagnosticsResponse,
  Request,
  RequestType,
  ResponseMap,
  SiteSummary,
  StateResponse,
  SyncProgress,
  WhyMissingAnswer,
} from '../messages';
import type { OwnerMark, ReviewRow, SiteUrl, SyncedAccount } from '../model';
import { accountIdFromUrl } from '../page-context';
import { buildReview, summarise } from '../review';
import { todayIn } from '../roster';
import {
  DEFAULT_SYNC_INTERVAL_HOURS,
  clearMark,
  deleteSiteData,
  getActiveAccount,
  getActiveAccounts,
  getConnection,
  getRoster,
  getSettings,
  listConnections,
  listGroups,
  listMarks,
  listRuns,
  lookupAccounts,
  putConnection,
  putSettings,
  replaceGroups,
  replaceRoster,
  setMark,
  updateConnection,
} from '../store';
import { deleteCredentials, getCredentials, putCredentials } from '../store/credentials';
import type { ConnectionRecord, CredentialsRecord, Store } from '../store/schema';
import {
  collectGarbage,
  diagnose,
  findPausedRun,
  findResumableRun,
  groupDefaults,
  pausedText,
  resumeDue,
  runSync,
  SyncPausedError,
} from '../sync';

export interface Platform {
  fetch: FetchLike;
  /** `identity.getRedirectURL()`: https://<extension-id>.chromiumapp.org/ */
  redirectUrl: string;
  /** `identity.launchWebAuthFlow({ url, interactive: true })`, resolving to the redirected URL. */
  launchWebAuthFlow(url: string): Promise<string>;
  broadcast(message: Broadcast): void;
  /** Schedules (hours) or cancels (null) the periodic sync of a site, replacing any schedule. */
  scheduleSync(site: SiteUrl, hours: number | null): Promise<void>;
  /**
   * Schedules the periodic sync only when none exists (alarms are dropped when the extension is
   * updated). Called at every worker start, so it must not push an existing schedule back.
   */
  ensureSyncScheduled(site: SiteUrl, hours: number): Promise<void>;
  /** While a sync runs, a short periodic alarm wakes a killed worker so the sync resumes. */
  setResumeAlarm(on: boolean): Promise<void>;
  /**
   * A one-off alarm at `at` for the site's sync paused by Atlassian's rate limit (null cancels
   * it); when it fires the background calls `resumeInterrupted`.
   */
  setPauseAlarm(site: SiteUrl, at: Date | null): Promise<void>;
  randomState(): string;
  now(): Date;
  timeZone?: string;
}

type Handler<T extends RequestType> = (req: Extract<Request, { type: T }>) => Promise<ResponseMap[T]>;
type Handlers = { [T in RequestType]: Handler<T> };

/** Thrown for bad input from a page: shown to the admin as is. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly grantedSites?: { url: string; name: string }[],
  ) {
    super(message);
  }
}

export interface Service {
  handle<T extends RequestType>(req: Extract<Request, { type: T }>): Promise<ResponseMap[T]>;
  /** Starts the syncs that are due to resume (after a worker restart) and tidies orphans. */
  resumeInterrupted(): Promise<void>;
  /** A scheduled sync alarm fired for this site. */
  onScheduledSync(site: SiteUrl): Promise<void>;
  /** Resolves when the site's running sync (if any) has ended. For tests and the demo. */
  idle(site?: SiteUrl): Promise<void>;
}

export function createService(platform: Platform, openStore: () => Promise<Store>): Service {
  let storePromise: Promise<Store> | null = null;
  const store = () => (storePromise ??= openStore());
  const running = new Map<SiteUrl, Promise<void>>();
  const progress = new Map<SiteUrl, SyncProgress>();
  const tokenManagers = new Map<SiteUrl, TokenManager>();

  const nowIso = () => platform.now().toISOString();
  // One clock for token expiry: `expiresAt` is written and compared with the same `now`, or a
  // platform clock ahead of Date.now would see every fresh token as expired (refresh storm).
  const nowMs = () => platform.now().getTime();
  const today = () => todayIn(platform.timeZone, platform.now());

  async function requireConnection(site: SiteUrl): Promise<ConnectionRecord> {
    const conn = await getConnection(await store(), site);
    if (!conn) throw new UserError(`${site} is not connected.`);
    return conn;
  }

  function tokenManagerFor(site: SiteUrl, creds: Extract<CredentialsRecord, { kind: 'oauth' }>): TokenManager {
    let tm = tokenManagers.get(site);
    if (!tm) {
      tm = createTokenManager({
        load: async () => {
          const current = await getCredentials(await store(), site);
          if (current?.kind !== 'oauth') throw new AuthRevokedError('The connection has no OAuth tokens. Connect again.');
          return current.tokens;
        },
        // §1.4 rotation: the new refresh token is persisted before anyone uses the new access token.
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

  async function apiFor(conn: ConnectionRecord): Promise<ConfluenceApi> {
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
  }

  async function markDisconnected(site: SiteUrl, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await updateConnection(await store(), site, (c) => ({ ...c, status: 'disconnected', lastError: message }));
    tokenManagers.delete(site);
    await platform.scheduleSync(site, null);
  }

  async function recordError(site: SiteUrl, error: unknown): Promise<void> {
    if (error instanceof AuthRevokedError) return markDisconnected(site, error);
    const message = error instanceof Error ? error.message : String(error);
    await updateConnection(await store(), site, (c) => ({ ...c, lastError: message }));
  }

  // ---------------------------------------------------------------------------------------------
  // Sync orchestration

  function startSync(site: SiteUrl, trigger: 'manual' | 'schedule' | 'groups-saved' | 'resume', runId?: string): boolean {
    if (running.has(site)) return false;
    const work = (async () => {
      const s = await store();
      const conn = await getConnection(s, site);
      if (!conn || conn.status !== 'connected') return;
      const selected = conn.selectedGroupIds ?? [];
      if (selected.length === 0 && !runId) {
        await updateConnection(s, site, (c) => ({ ...c, lastError: 'No groups are selected: choose groups to monitor on the options page.' }));
        return;
      }
      // A run paused by the rate limit resumes by its alarm; a scheduled or manual start waits
      // for it (a new selection of groups replaces it, as any new run replaces an unfinished one).
      if (!runId && trigger !== 'groups-saved' && (await findPausedRun(s, site))) return;
      const names = new Map((await listGroups(s, site)).map((g) => [g.id, g.name]));
      const groups = selected.map((id) => ({ id, name: names.get(id) ?? id }));
      await platform.setResumeAlarm(true);
      try {
        const api = await apiFor(conn);
        await runSync({
          store: s,
          api,
          site,
          groups,
          trigger,
          runId,
          // Older connections (no hasJira) try Jira; a Jira that fails only turns it off for the run.
          useJira: conn.hasJira ?? true,
          onProgress: (p) => {
            progress.set(site, p);
            platform.broadcast({ type: 'syncProgress', site, progress: p });
          },
          now: () => platform.now(),
        });
        await updateConnection(s, site, (c) => ({ ...c, lastError: null }));
      } catch (error) {
        // Issue 8, item 5: paused, not failed — wake up when Atlassian said requests may resume.
        if (error instanceof SyncPausedError) await platform.setPauseAlarm(site, error.until);
        else await recordError(site, error);
      } finally {
        progress.delete(site);
      }
    })()
      .catch((error) => console.error('Access Lens: sync crashed', error instanceof Error ? error.message : error))
      .finally(async () => {
        running.delete(site);
        if (running.size === 0) await platform.setResumeAlarm(false);
        platform.broadcast({ type: 'stateChanged', site });
      });
    running.set(site, work);
    platform.broadcast({ type: 'stateChanged', site });
    return true;
  }

  async function resumeInterrupted(): Promise<void> {
    const s = await store();
    for (const conn of await listConnections(s)) {
      if (conn.status === 'connected') await platform.ensureSyncScheduled(conn.site, conn.syncIntervalHours);
      if (running.has(conn.site)) continue;
      const run = await findResumableRun(s, conn.site);
      if (!run || conn.status !== 'connected') continue;
      const paused = await findPausedRun(s, conn.site);
      if (paused && !resumeDue(paused.run, platform.now())) {
        // Not yet: make sure the alarm for it exists (alarms may not survive a browser restart).
        await platform.setPauseAlarm(conn.site, paused.until);
        continue;
      }
      startSync(conn.site, 'resume', (paused?.run ?? run).id);
    }
    if (running.size === 0) {
      await collectGarbage(s);
      await platform.setResumeAlarm(false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Review

  async function reviewRows(site: SiteUrl, accounts?: SyncedAccount[]): Promise<ReviewRow[]> {
    const s = await store();
    const [all, roster, marks, settings] = await Promise.all([
      accounts ? Promise.resolve(accounts) : getActiveAccounts(s, site),
      getRoster(s),
      listMarks(s, site),
      getSettings(s),
    ]);
    return buildReview({
      accounts: all,
      people: roster.people,
      marks: new Map<string, OwnerMark>(marks.map((m) => [m.accountId, m.mark])),
      settings,
      today: today(),
    });
  }

  async function summary(conn: ConnectionRecord): Promise<SiteSummary> {
    const counts = conn.activeSnapshotId ? summarise(await reviewRows(conn.site)) : null;
    const paused = running.has(conn.site) ? null : await findPausedRun(await store(), conn.site);
    return {
      site: conn.site,
      siteName: conn.siteName,
      cloudId: conn.cloudId,
      authMethod: conn.authMethod,
      status: conn.status,
      lastError: conn.lastError,
      lastSyncedAt: conn.lastSyncedAt,
      sync: progress.get(conn.site) ?? (running.has(conn.site) ? startingProgress() : null),
      selectedGroupIds: conn.selectedGroupIds ?? [],
      syncIntervalHours: conn.syncIntervalHours,
      counts,
      apiBase: conn.authMethod === 'apiToken' ? (conn.apiBase ?? 'site') : null,
      hasJira: conn.hasJira ?? true,
      pausedUntil: paused ? paused.until.toISOString() : null,
    };
  }

  function startingProgress(): SyncProgress {
    return { runId: '', startedAt: nowIso(), groupsDone: 0, groupsTotal: 0, accountsFetched: 0, phase: 'members' };
  }

  // ---------------------------------------------------------------------------------------------
  // Connecting

  async function saveConnection(
    site: SiteUrl,
    fields: Pick<ConnectionRecord, 'siteName' | 'cloudId' | 'authMethod' | 'connectedAs' | 'apiBase' | 'hasJira'>,
    creds: CredentialsRecord,
  ): Promise<void> {
    const s = await store();
    const existing = await getConnection(s, site);
    tokenManagers.delete(site);
    await putCredentials(s, creds);
    // Reconnecting keeps the site's groups, snapshot and history: only the credentials change.
    await putConnection(s, {
      site,
      createdAt: existing?.createdAt ?? nowIso(),
      selectedGroupIds: existing?.selectedGroupIds ?? null,
      syncIntervalHours: existing?.syncIntervalHours ?? DEFAULT_SYNC_INTERVAL_HOURS,
      activeSnapshotId: existing?.activeSnapshotId ?? null,
      lastSyncedAt: existing?.lastSyncedAt ?? null,
      ...fields,
      status: 'connected',
      lastError: null,
    });
    const conn = await requireConnection(site);
    await platform.scheduleSync(site, conn.syncIntervalHours);
    platform.broadcast({ type: 'stateChanged', site });
  }

  function parseSite(input: string): { site: SiteUrl; name: string } {
    const n = normaliseSiteUrl(input);
    if (!n.ok) throw new UserError(n.error);
    return { site: n.site, name: n.name };
  }

  async function whoAmI(api: ConfluenceApi): Promise<string | null> {
    const me = await api.currentUser();
    return me.displayName ?? me.publicName ?? null;
  }

  // ---------------------------------------------------------------------------------------------
  // Handlers

  const handlers: Handlers = {
    async getState(): Promise<StateResponse> {
      const s = await store();
      const [connections, roster, settings] = await Promise.all([listConnections(s), getRoster(s), getSettings(s)]);
      return {
        sites: await Promise.all(connections.map(summary)),
        roster: roster.meta,
        graceDays: settings.graceDays,
        callbackUrl: platform.redirectUrl,
      };
    },

    async connectOAuth(req) {
      const { site } = parseSite(req.siteUrl);
      const state = platform.randomState();
      const authorizeUrl = buildAuthorizeUrl({ clientId: req.clientId, redirectUri: platform.redirectUrl, state });
      let redirected: string;
      try {
        redirected = await platform.launchWebAuthFlow(authorizeUrl);
      } catch (error) {
        throw new UserError(`The Atlassian sign-in did not complete: ${error instanceof Error ? error.message : String(error)}`);
      }
      const callback = parseCallback(redirected, state);
      if ('error' in callback) throw new UserError(callback.error);
      const tokens = await exchangeCode(platform.fetch, {
        clientId: req.clientId,
        clientSecret: req.clientSecret,
        code: callback.code,
        redirectUri: platform.redirectUrl,
      }, nowMs);
      const resources = await getAccessibleResources(platform.fetch, tokens.accessToken);
      const chosen = chooseResource(resources, site);
      if (!chosen.ok) throw new UserError(chosen.error, chosen.granted);
      const creds: CredentialsRecord = { site, kind: 'oauth', clientId: req.clientId, clientSecret: req.clientSecret, tokens };
      const api = createConfluenceApi({
        fetch: platform.fetch,
        site,
        cloudId: chosen.resource.id,
        auth: { kind: 'bearer', getAccessToken: async () => tokens.accessToken, refreshAccessToken: async () => tokens.accessToken },
      });
      const connectedAs = await whoAmI(api).catch(() => null);
      // Issue 8, item 2: Jira only when the grant lists its scope for this site and a Jira answers.
      const hasJira = chooseJira(resources, chosen.resource) && (await api.probeJira()).ok;
      await saveConnection(site, { siteName: chosen.resource.name, cloudId: chosen.resource.id, authMethod: 'oauth', connectedAs, hasJira }, creds);
      return { site };
    },

    async connectApiToken(req) {
      const { site, name } = parseSite(req.siteUrl);
      let probe;
      try {
        // Issue 8, item 1: the site URL for classic tokens, the gateway for scoped ones.
        probe = await probeApiToken({ fetch: platform.fetch, site, email: req.email, apiToken: req.apiToken });
      } catch (error) {
        if (error instanceof ApiTokenConnectError) throw new UserError(error.message);
        throw error;
      }
      await saveConnection(
        site,
        { siteName: name, cloudId: probe.cloudId, authMethod: 'apiToken', connectedAs: probe.connectedAs ?? req.email, apiBase: probe.apiBase, hasJira: probe.hasJira },
        { site, kind: 'apiToken', email: req.email, apiToken: req.apiToken },
      );
      return { site };
    },

    async disconnect(req) {
      const s = await store();
      await requireConnection(req.site);
      await platform.scheduleSync(req.site, null);
      await platform.setPauseAlarm(req.site, null);
      tokenManagers.delete(req.site);
      if (req.deleteData) {
        await deleteSiteData(s, req.site);
      } else {
        await deleteCredentials(s, req.site);
        await updateConnection(s, req.site, (c) => ({ ...c, status: 'disconnected', lastError: 'Disconnected by you.' }));
      }
      platform.broadcast({ type: 'stateChanged', site: req.site });
      return { ok: true };
    },

    async listGroups(req) {
      const s = await store();
      const conn = await requireConnection(req.site);
      let groups = await listGroups(s, req.site);
      const source = groups.length === 0 || req.refresh ? 'atlassian' : 'stored';
      if (source === 'atlassian') {
        if (conn.status !== 'connected') throw new UserError(`${req.site} is disconnected: connect again to list its groups.`);
        const api = await apiFor(conn);
        const all: { id: string; name: string }[] = [];
        try {
          for (let start: number | null = 0; start !== null; ) {
            const page = await api.listGroups(start, 200);
            all.push(...page.groups);
            start = page.nextStart;
          }
        } catch (error) {
          await recordError(req.site, error);
          platform.broadcast({ type: 'stateChanged', site: req.site });
          throw error;
        }
        await replaceGroups(s, req.site, all);
        groups = await listGroups(s, req.site);
      }
      // Issue 8, item 10: other sites' default groups (the list spans the organisation) unchecked.
      const canonical = normaliseSiteUrl(req.site);
      const defaults = groupDefaults(groups, canonical.ok ? canonical.name : undefined);
      const selected = new Set(conn.selectedGroupIds ?? defaults.selected);
      const otherSite = new Set(defaults.otherSite);
      return { groups: groups.map((g) => ({ id: g.id, name: g.name, selected: selected.has(g.id), otherSite: otherSite.has(g.id) })), source };
    },

    async saveGroups(req) {
      const s = await store();
      await requireConnection(req.site);
      const known = new Set((await listGroups(s, req.site)).map((g) => g.id));
      const unknown = req.groupIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new UserError(`Unknown group id(s): ${unknown.slice(0, 5).join(', ')}. Refresh the group list.`);
      await updateConnection(s, req.site, (c) => ({ ...c, selectedGroupIds: [...new Set(req.groupIds)] }));
      if (req.groupIds.length > 0) startSync(req.site, 'groups-saved');
      platform.broadcast({ type: 'stateChanged', site: req.site });
      return { ok: true };
    },

    async syncNow(req) {
      const s = await store();
      const sites = req.site ? [(await requireConnection(req.site)).site] : (await listConnections(s)).map((c) => c.site);
      const started: SiteUrl[] = [];
      for (const site of sites) {
        const conn = await requireConnection(site);
        if (conn.status !== 'connected') {
          if (req.site) throw new UserError(`${site} is disconnected: connect again before syncing.`);
          continue;
        }
        if ((conn.selectedGroupIds ?? []).length === 0) {
          if (req.site) throw new UserError('No groups are selected: choose groups to monitor on the options page first.');
          continue;
        }
        const paused = running.has(site) ? null : await findPausedRun(s, site);
        if (paused && !resumeDue(paused.run, platform.now())) {
          if (req.site) throw new UserError(`${pausedText(paused.until)}: the sync resumes by itself then.`);
          continue;
        }
        if (startSync(site, 'manual') || running.has(site)) started.push(site);
      }
      return { started };
    },

    async getReview(req) {
      const conn = await requireConnection(req.site);
      const [rows, roster] = await Promise.all([reviewRows(req.site), getRoster(await store())]);
      // The snapshot is named after the run that made it: its caveats describe the data shown.
      const made = conn.activeSnapshotId ? await (await store()).db.get('syncRuns', conn.activeSnapshotId) : undefined;
      return { site: req.site, rows, people: roster.people, lastSyncedAt: conn.lastSyncedAt, caveats: made?.caveats ?? [] };
    },

    async setMark(req) {
      const s = await store();
      await requireConnection(req.site);
      if (!req.mark) {
        await clearMark(s, req.site, req.accountId);
        platform.broadcast({ type: 'stateChanged', site: req.site });
        return { mark: null };
      }
      const account = await getActiveAccount(s, req.site, req.accountId);
      if (!account) throw new UserError(`Account ${req.accountId} is not in the last sync of ${req.site}.`);
      if ('personId' in req.mark) {
        const personId = req.mark.personId;
        if (!(await getRoster(s)).people.some((p) => p.id === personId)) {
          throw new UserError('That person is not in the current roster.');
        }
      }
      const mark = { site: req.site, accountId: req.accountId, mark: { ...req.mark, at: nowIso() } as OwnerMark };
      await setMark(s, mark);
      platform.broadcast({ type: 'stateChanged', site: req.site });
      return { mark };
    },

    async whyMissing(req): Promise<WhyMissingAnswer> {
      const s = await store();
      const conn = await requireConnection(req.site);
      if (!conn.activeSnapshotId) {
        return { query: req.query, verdict: 'not_found', account: null, explanation: 'Nothing has been synced for this site yet: run a sync first.' };
      }
      const found = await lookupAccounts(s, req.site, req.query);
      const account = found[0];
      if (!account) {
        const groups = conn.selectedGroupIds?.length ?? 0;
        return {
          query: req.query,
          verdict: 'not_found',
          account: null,
          explanation:
            `No account matching "${req.query}" is a member of the ${groups} monitored group(s) as of the last sync ` +
            `(${conn.lastSyncedAt ?? 'never'}). It is either in a group you do not monitor or does not exist: ` +
            'add its group under Groups to bring it into the review.',
        };
      }
      const more = found.length > 1 ? ` (${found.length - 1} more account(s) also match "${req.query}")` : '';
      const groupsText = account.groups.map((g) => g.name).join(', ');
      if (account.filteredReason === 'app') {
        return { query: req.query, verdict: 'filtered_app', account, explanation: `${account.displayName} is filtered out of the review as an app/bot account: ${account.filteredDetail ?? 'accountType "app"'}. Groups: ${groupsText}.${more}` };
      }
      if (account.filteredReason === 'inactive') {
        return { query: req.query, verdict: 'filtered_inactive', account, explanation: `${account.displayName} is filtered out of the review as inactive: ${account.filteredDetail ?? account.statusSignal ?? 'inactive'}. Groups: ${groupsText}.${more}` };
      }
      return { query: req.query, verdict: 'in_review', account, explanation: `${account.displayName} is in the review (groups: ${groupsText}).${more}` };
    },

    async getDiagnostics(req): Promise<DiagnosticsResponse> {
      const s = await store();
      const conn = await requireConnection(req.site);
      const [runs, groups] = await Promise.all([listRuns(s, req.site, 20), listGroups(s, req.site)]);
      return {
        site: conn.site,
        siteName: conn.siteName,
        cloudId: conn.cloudId,
        authMethod: conn.authMethod,
        apiBase: conn.authMethod === 'apiToken' ? (conn.apiBase ?? 'site') : null,
        hasJira: conn.hasJira ?? true,
        connectedAs: conn.connectedAs,
        status: conn.status,
        problems: diagnose({ connection: conn, lastRuns: runs, groups }),
        history: runs.map(({ checkpoint: _c, failure: _f, ...run }) => run),
      };
    },

    async getRoster() {
      return getRoster(await store());
    },

    async importRoster(req) {
      const ids = new Set<string>();
      for (const p of req.people) {
        if (ids.has(p.id)) throw new UserError(`The roster has two people with the id ${p.id} (row ${p.row}); fix the file and import again.`);
        ids.add(p.id);
      }
      const meta = { fileName: req.fileName, importedAt: nowIso(), people: req.people.length };
      await replaceRoster(await store(), req.people, meta);
      platform.broadcast({ type: 'stateChanged', site: null });
      return { meta };
    },

    async saveSettings(req) {
      const s = await store();
      // Check everything before changing anything: a bad request changes nothing.
      if (req.syncIntervalHours !== undefined && !req.site) throw new UserError('Say which site the sync interval is for.');
      const conn = req.site ? await requireConnection(req.site) : null;
      if (req.graceDays !== undefined) await putSettings(s, { ...(await getSettings(s)), graceDays: req.graceDays });
      if (req.syncIntervalHours !== undefined && conn) {
        const hours = req.syncIntervalHours;
        await updateConnection(s, conn.site, (c) => ({ ...c, syncIntervalHours: hours }));
        if (conn.status === 'connected') await platform.scheduleSync(conn.site, hours);
      }
      platform.broadcast({ type: 'stateChanged', site: req.site ?? null });
      return { ok: true };
    },

    async pageContext(req) {
      const page = accountIdFromUrl(req.url);
      if (!page) return { site: null, accountId: null, row: null };
      const s = await store();
      const connections = await listConnections(s);
      const candidates = page.host.endsWith('.atlassian.net')
        ? connections.filter((c) => c.site === `https://${page.host.toLowerCase()}`)
        : connections;
      for (const conn of candidates) {
        const account = await getActiveAccount(s, conn.site, page.accountId);
        if (account) {
          const [row] = await reviewRows(conn.site, [account]);
          return { site: conn.site, accountId: page.accountId, row: row ?? null };
        }
      }
      return { site: candidates[0]?.site ?? null, accountId: page.accountId, row: null };
    },
  };

  return {
    async handle(req) {
      const handler = handlers[req.type] as Handler<typeof req.type>;
      return handler(req as never) as never;
    },
    resumeInterrupted,
    async onScheduledSync(site) {
      startSync(site, 'schedule');
    },
    async idle(site) {
      const pending = site ? [running.get(site)] : [...running.values()];
      await Promise.all(pending);
    },
  };
}

/** Turns any thrown value into the `{ error }` answer pages show. Never includes a stack. */
export function toErrorResponse(error: unknown): { error: string; grantedSites?: { url: string; name: string }[] } {
  if (error instanceof UserError) return error.grantedSites ? { error: error.message, grantedSites: error.grantedSites } : { error: error.message };
  if (error instanceof AtlassianError) return { error: error.message };
  if (error instanceof Error) return { error: error.message };
  return { error: String(error) };
}
