import { useEffect, useState } from 'preact/hooks';
import { parseUserExport, userExportFileSizeError, type UserExportParseResult } from '@/lib/activity/user-export';
import { decodeRosterBytes, ENCODING_LABELS } from '@/lib/roster';
import type { ActivityStatus, SiteSummary } from '@/lib/messages';
import { errorText, send } from './messaging';
import { ErrorText, useAction } from './useAction';
import { RowErrors } from './RowErrors';
import { formatCount, formatDateTime, plural } from './format';


interface Loaded {
  file: File;
  text: string;
  parsed: UserExportParseResult;
  siteColumn: string | undefined;
}

/** `acme` for https://acme.atlassian.net: what the export's `Last seen in Confluence - <site>` names. */
function siteNameOf(site: string): string {
  try {
    return new URL(site).hostname.split('.')[0] ?? site;
  } catch {
    return site;
  }
}

function parse(text: string, file: File, site: string, siteColumn?: string): UserExportParseResult {
  return parseUserExport(text, {
    siteName: siteNameOf(site),
    fileName: file.name,
    fileLastModified: file.lastModified,
    ...(siteColumn !== undefined && { siteColumn }),
  });
}

/**
 * Last activity and two-step verification for the site: the admin user export (no credential
 * needed) and, optionally, an organisation API key the background uses to fetch them itself.
 */
export function ActivitySources({ site, refreshKey }: { site: SiteSummary; refreshKey: number }) {
  const [status, setStatus] = useState<ActivityStatus | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [encodingNote, setEncodingNote] = useState<string | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);
  const [orgId, setOrgId] = useState('');
  const [apiKey, setApiKey] = useState('');
  const importing = useAction();
  const keyAction = useAction();

  useEffect(() => {
    let cancelled = false;
    send({ type: 'getActivityStatus', site: site.site }).then(
      (s) => {
        if (cancelled) return;
        setStatus(s);
        setStatusError(null);
      },
      (e: unknown) => !cancelled && setStatusError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [site.site, refreshKey]);

  async function onFile(file: File | undefined) {
    setLoaded(null);
    setReadError(null);
    setEncodingNote(null);
    importing.setError(null);
    if (!file) return;
    const unchanged = status?.userExport ? ' The current user export is unchanged.' : '';
    // Refused before reading: a file this big is not an export the import can take.
    const sizeError = userExportFileSizeError(file.size);
    if (sizeError !== null) {
      setReadError(`Cannot import ${file.name}: ${sizeError}${unchanged}`);
      return;
    }
    try {
      const decoded = decodeRosterBytes(new Uint8Array(await file.arrayBuffer()), userExportFileSizeError);
      if ('error' in decoded) {
        setReadError(`Cannot import ${file.name}: ${decoded.error}${unchanged}`);
        return;
      }
      if (decoded.encoding !== 'utf-8') setEncodingNote(`Read as ${ENCODING_LABELS.get(decoded.encoding) ?? decoded.encoding}.`);
      setLoaded({ file, text: decoded.text, parsed: parse(decoded.text, file, site.site), siteColumn: undefined });
    } catch (e) {
      setReadError(`Could not read ${file.name}: ${errorText(e)}`);
    }
  }

  function chooseColumn(column: string) {
    if (!loaded) return;
    setLoaded({ ...loaded, siteColumn: column || undefined, parsed: parse(loaded.text, loaded.file, site.site, column || undefined) });
  }

  async function importExport() {
    const meta = loaded?.parsed.meta;
    if (!loaded || !meta) return;
    await importing.run(async () => {
      await send({ type: 'importUserExport', site: site.site, meta, accounts: loaded.parsed.accounts });
      setLoaded(null);
      setFileInputKey((k) => k + 1);
    });
  }

  async function saveKey() {
    if (!orgId.trim() || !apiKey.trim()) {
      keyAction.setError('Enter both the Organization ID and the Organization API key.');
      return;
    }
    const ok = await keyAction.run(async () => {
      await send({ type: 'saveOrgKey', orgId: orgId.trim(), apiKey: apiKey.trim() });
    });
    if (ok) {
      setApiKey('');
      setOrgId('');
    }
  }

  const parsed = loaded?.parsed;
  const canImport = !!parsed?.meta && parsed.errors.length === 0 && !importing.busy;
  const phase = status?.phase ?? null;

  return (
    <div>
      <ErrorText text={statusError} />
      <h3>Atlassian user export</h3>
      <p data-testid="user-export-status">
        {status?.userExport
          ? `User export: ${status.userExport.fileName} — ${plural(status.userExport.accountCount, 'account')}, data of ${status.userExport.dataDate ?? 'an unknown date'}, imported ${formatDateTime(status.userExport.importedAt)}`
          : 'No user export imported for this site yet.'}
      </p>
      <label for="user-export-file">Atlassian user export</label>
      <input
        key={fileInputKey}
        id="user-export-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => void onFile(e.currentTarget.files?.[0])}
      />
      <p class="muted">
        In admin.atlassian.com, Directory → Users → Export users (or the managed-accounts export): the CSV gives each account's last
        Confluence activity on this site and, where present, two-step verification. Accounts are matched by account id only. The file
        never leaves this browser.
      </p>
      <ErrorText text={readError} />
      {encodingNote && <p class="muted">{encodingNote}</p>}
      {loaded && parsed && (
        <div>
          <h4>Preview of {loaded.file.name}</h4>
          <p role="status">
            {parsed.shape ? (parsed.shape === 'user-management' ? 'User-management export' : 'Managed-accounts export') : 'Unknown file'}:{' '}
            {plural(parsed.rowCount, 'row')}, {plural(parsed.preview.accounts, 'account')} ({formatCount(parsed.preview.lastActiveDated)} with a date,{' '}
            {formatCount(parsed.preview.lastActiveNever)} never, {formatCount(parsed.preview.lastActiveUnknown)} unknown; 2SV on{' '}
            {formatCount(parsed.preview.mfaOn)}, off {formatCount(parsed.preview.mfaOff)}),{' '}
            {parsed.errors.length === 0 ? 'no errors' : plural(parsed.errors.length, 'error')}
            {parsed.meta?.dataDate ? `; data of ${parsed.meta.dataDate}` : ''}
            {parsed.siteColumn ? `; column "${parsed.siteColumn}"` : ''}
          </p>
          {(parsed.needsSiteChoice || loaded.siteColumn !== undefined) && parsed.siteCandidates.length > 0 && (
            <div>
              <label for="user-export-column">Confluence column for this site</label>
              <select id="user-export-column" value={loaded.siteColumn ?? ''} onChange={(e) => chooseColumn(e.currentTarget.value)}>
                <option value="">(choose the column for {siteNameOf(site.site)})</option>
                {parsed.siteCandidates.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              <p class="muted">No column names this site exactly ({siteNameOf(site.site)}): say which one is its Confluence.</p>
            </div>
          )}
          {parsed.warnings.map((w) => (
            <p class="muted" key={w}>
              {w}
            </p>
          ))}
          {parsed.errors.length > 0 && <RowErrors errors={parsed.errors} label="User export errors" />}
        </div>
      )}
      <div class="row">
        <button type="button" class="primary" disabled={!canImport} onClick={importExport}>
          Import user export
        </button>
      </div>
      {importing.busy && <p role="status">Importing…</p>}
      <ErrorText text={importing.error && `Import failed: ${importing.error}. The previous user export is unchanged.`} />

      <h3>Organization API key (optional)</h3>
      <p class="muted">
        With a key, the extension fetches last activity and two-step verification itself after each sync, from Atlassian's organization
        admin API (about 200 requests a minute, so large sites take a while; each account at most once a day). An organization API key is
        a powerful credential — a key without scopes can manage your users: it is kept in this browser's extension storage, used only by
        the background and sent only to api.atlassian.com. Create one in admin.atlassian.com → Settings → API keys; "Forget key" removes it.
      </p>
      <p data-testid="org-key-status">
        {status?.orgKey ? `Key saved for organization ${status.orgKey.orgId} on ${formatDateTime(status.orgKey.savedAt)}.` : 'No organization API key saved.'}
      </p>
      <label for="org-id">Organization ID</label>
      <input id="org-id" type="text" autocomplete="off" value={orgId} onInput={(e) => setOrgId(e.currentTarget.value)} />
      <label for="org-key">Organization API key</label>
      <input id="org-key" type="password" autocomplete="off" value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="primary" disabled={keyAction.busy} onClick={saveKey}>
          Save key
        </button>
        {status?.orgKey && (
          <>
            <button type="button" disabled={keyAction.busy} onClick={() => keyAction.run(async () => void (await send({ type: 'forgetOrgKey' })))}>
              Forget key
            </button>
            <button
              type="button"
              disabled={keyAction.busy || phase?.status === 'running' || !site.lastSyncedAt}
              onClick={() => keyAction.run(async () => void (await send({ type: 'fetchActivityNow', site: site.site })))}
            >
              Fetch activity now
            </button>
          </>
        )}
      </div>
      <ErrorText text={keyAction.error} />
      {phase && (
        <p role="status" data-testid="activity-phase">
          {phase.status === 'running' && `Fetching activity… ${formatCount(phase.done)} of ${formatCount(phase.total)} accounts`}
          {phase.status === 'paused' && `Paused by Atlassian's rate limit until ${phase.resumeAt ? formatDateTime(phase.resumeAt) : 'later'} (${formatCount(phase.done)} of ${formatCount(phase.total)} accounts so far)`}
          {phase.status === 'done' && `Activity fetched ${phase.finishedAt ? formatDateTime(phase.finishedAt) : ''}: ${formatCount(phase.done)} accounts${phase.notInOrg > 0 ? `, ${formatCount(phase.notInOrg)} not in the organization` : ''}${phase.searchUnavailable ? '; two-step verification not available from this organization' : ''}`}
          {phase.status === 'failed' && `Fetching activity failed: ${phase.error ?? 'unknown error'}`}
        </p>
      )}
    </div>
  );
}
