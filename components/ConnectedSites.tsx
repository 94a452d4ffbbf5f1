import { visibleText } from '@/lib/display-text';
import { useState } from 'preact/hooks';
import type { SiteSummary } from '@/lib/messages';
import { send } from './messaging';
import { ErrorText, useAction } from './useAction';
import { formatDateTime } from './format';
import { pausedStatusText } from './SiteStatus';

/** How the site is connected, in words (issue 8, item 1: which kind of API token). */
export function connectionKindText(summary: Pick<SiteSummary, 'authMethod' | 'apiBase'>): string {
  if (summary.authMethod === 'oauth') return 'OAuth';
  return summary.apiBase === 'gateway' ? 'Scoped API token (through api.atlassian.com)' : 'API token (classic, site URL)';
}

/** Connected sites, each with a Disconnect that needs an explicit confirm step. */
export function ConnectedSites({ sites, onChanged }: { sites: SiteSummary[]; onChanged: () => void }) {
  if (sites.length === 0) return <p class="muted">No site connected yet. Connect one below.</p>;
  return (
    <ul class="plain">
      {sites.map((s) => (
        <li key={s.site} class="card">
          <ConnectedSite summary={s} onChanged={onChanged} />
        </li>
      ))}
    </ul>
  );
}

function ConnectedSite({ summary, onChanged }: { summary: SiteSummary; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [deleteData, setDeleteData] = useState(false);
  const { busy, error, run } = useAction();
  const id = `site-${summary.site.replace(/[^a-z0-9]/gi, '-')}`;

  return (
    <div aria-labelledby={`${id}-name`}>
      <strong id={`${id}-name`}>{visibleText(summary.siteName)}</strong> <span class="muted break">{summary.site}</span>
      <p>
        <span class={`status-${summary.status}`}>{summary.status === 'connected' ? 'Connected' : 'Disconnected'}</span>
        {' · '}
        {connectionKindText(summary)}
        {' · '}
        {summary.hasJira ? 'Jira email lookup on' : 'No Jira email lookup'}
        {' · '}
        {summary.lastSyncedAt ? `Last synced ${formatDateTime(summary.lastSyncedAt)}` : 'Never synced'}
      </p>
      {summary.pausedUntil && (
        <p class="progress" role="status">
          {pausedStatusText(summary.pausedUntil)}
        </p>
      )}
      {summary.lastError && <p class="error">{visibleText(summary.lastError)}</p>}
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)} aria-describedby={`${id}-name`}>
          Disconnect
        </button>
      ) : (
        <div role="group" aria-label={`Confirm disconnecting ${summary.siteName}`}>
          <p>
            Disconnect <strong>{visibleText(summary.siteName)}</strong>? The stored credentials are removed.
          </p>
          <label class="inline">
            <input type="checkbox" checked={deleteData} onChange={(e) => setDeleteData(e.currentTarget.checked)} />
            Also delete this site's synced data
          </label>
          <div class="row">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={async () => {
                const ok = await run(async () => {
                  await send({ type: 'disconnect', site: summary.site, deleteData });
                });
                if (ok) {
                  setConfirming(false);
                  onChanged();
                }
              }}
            >
              Confirm
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorText text={error} />
    </div>
  );
}
