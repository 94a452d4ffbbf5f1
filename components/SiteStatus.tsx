import type { SiteSummary, SyncProgress } from '@/lib/messages';
import { send } from './messaging';
import { ErrorText, useAction } from './useAction';
import { formatCount, formatDateTime, plural } from './format';
import { ReviewStatusLine } from './ReviewStatusLine';

export function progressText(p: SyncProgress): string {
  return `Syncing… ${formatCount(p.groupsDone)}/${formatCount(p.groupsTotal)} groups, ${plural(p.accountsFetched, 'account')}`;
}

/** Issue 8, item 5: a sync waiting out Atlassian's hourly quota, shown in popup and options. */
export function pausedStatusText(pausedUntil: string): string {
  return `Paused by Atlassian's rate limit until ${formatDateTime(pausedUntil)}`;
}

/** One connected site in the popup: status, last sync, counts, live progress, "Sync now". */
export function SiteStatus({ summary, progress }: { summary: SiteSummary; progress: SyncProgress | null }) {
  const { busy, error, run } = useAction();
  const live = progress ?? summary.sync;
  const headingId = `site-${summary.site.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <article class="card" aria-labelledby={headingId}>
      <h2 id={headingId} style={{ margin: 0 }}>
        {summary.siteName}
      </h2>
      <p class="muted break" style={{ margin: 0 }}>
        {summary.site}
      </p>
      <p>
        <span class={`status-${summary.status}`}>{summary.status === 'connected' ? 'Connected' : 'Disconnected'}</span>
        {summary.status === 'disconnected' && summary.lastError ? ` — ${summary.lastError}` : ''}
      </p>
      {summary.status === 'connected' && summary.lastError && <p class="error">Last sync failed: {summary.lastError}</p>}
      <p data-testid="last-synced">{summary.lastSyncedAt ? `Last synced ${formatDateTime(summary.lastSyncedAt)}` : 'Not synced yet'}</p>
      {live && (
        <p class="progress" role="status">
          {progressText(live)}
        </p>
      )}
      {!live && summary.pausedUntil && (
        <p class="progress" role="status" data-testid="sync-paused">
          {pausedStatusText(summary.pausedUntil)}
        </p>
      )}
      {summary.counts && (
        <dl class="counts" aria-label="Counts">
          <dt>In review</dt>
          <dd>{formatCount(summary.counts.review)}</dd>
          <dt>Flagged</dt>
          <dd>{formatCount(summary.counts.flagged)}</dd>
          <dt>Unattributed</dt>
          <dd>{formatCount(summary.counts.unattributed)}</dd>
          <dt>Should revoke</dt>
          <dd>{formatCount(summary.counts.should_revoke)}</dd>
          <dt>Dormant</dt>
          <dd>{formatCount(summary.counts.dormant)}</dd>
          <dt>Admins without 2SV</dt>
          <dd>{formatCount(summary.counts.admin_without_2sv)}</dd>
          <dt>Filtered</dt>
          <dd>{formatCount(summary.counts.filtered)}</dd>
        </dl>
      )}
      {summary.review && <ReviewStatusLine review={summary.review} />}
      <div class="row">
        <button
          type="button"
          class="primary"
          disabled={busy || !!live || !!summary.pausedUntil || summary.status !== 'connected'}
          onClick={() =>
            run(async () => {
              await send({ type: 'syncNow', site: summary.site });
            })
          }
        >
          Sync now
        </button>
      </div>
      <ErrorText text={error} />
    </article>
  );
}
