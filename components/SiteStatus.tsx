import type { SiteFix, SiteSummary, SyncProgress } from '@/lib/messages';
import { visibleText } from '@/lib/display-text';
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

/** A running sync: its words and a progress bar over the groups (indeterminate until they are known). */
export function SyncProgressBar({ progress }: { progress: SyncProgress }) {
  const known = progress.groupsTotal > 0;
  return (
    <div class="progress" role="status">
      <span>{progressText(progress)}</span>
      <progress aria-label="Sync progress" max={known ? progress.groupsTotal : undefined} value={known ? progress.groupsDone : undefined} />
    </div>
  );
}

export const FIX_LABELS: Record<SiteFix, string> = { reconnect: 'Reconnect', groups: 'Edit tracked groups' };

export interface SiteStatusActions {
  /** Call synchronously from the click: the side panel needs the user gesture. */
  openSidePanel(site: string): void;
  fix(site: string, fix: SiteFix): void;
}

/** One connected site in the popup: status, last sync, counts, live progress, its actions. */
export function SiteStatus({ summary, progress, actions }: { summary: SiteSummary; progress: SyncProgress | null; actions: SiteStatusActions }) {
  const { busy, error, run } = useAction();
  const live = progress ?? summary.sync;
  const headingId = `site-${summary.site.replace(/[^a-z0-9]/gi, '-')}`;
  const lastError = summary.lastError ? visibleText(summary.lastError) : null;
  return (
    <article class="card" aria-labelledby={headingId}>
      <h2 id={headingId} style={{ margin: 0 }}>
        {visibleText(summary.siteName)}
      </h2>
      <p class="muted break" style={{ margin: 0 }}>
        {summary.site}
      </p>
      <p>
        <span class={`status-${summary.status}`}>{summary.status === 'connected' ? 'Connected' : 'Disconnected'}</span>
        {summary.status === 'disconnected' && lastError ? ` — ${lastError}` : ''}
      </p>
      {summary.status === 'connected' && lastError && <p class="error">Last sync failed: {lastError}</p>}
      <p data-testid="last-synced">{summary.lastSyncedAt ? `Last synced ${formatDateTime(summary.lastSyncedAt)}` : 'Not synced yet'}</p>
      {live && <SyncProgressBar progress={live} />}
      {!live && summary.pausedUntil && (
        <p class="progress" role="status" data-testid="sync-paused">
          {pausedStatusText(summary.pausedUntil)}
        </p>
      )}
      {summary.counts ? (
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
      ) : (
        !live &&
        summary.status === 'connected' &&
        !summary.fix && <p class="muted">No sync yet: press Sync now to read the monitored groups.</p>
      )}
      {summary.review && <ReviewStatusLine review={summary.review} />}
      <div class="row">
        {summary.fix && (
          <button type="button" class="primary" onClick={() => actions.fix(summary.site, summary.fix!)}>
            {FIX_LABELS[summary.fix]}
          </button>
        )}
        <button
          type="button"
          class={summary.fix ? '' : 'primary'}
          disabled={busy || !!live || !!summary.pausedUntil || summary.status !== 'connected'}
          onClick={() =>
            run(async () => {
              await send({ type: 'syncNow', site: summary.site });
            })
          }
        >
          Sync now
        </button>
        <button type="button" onClick={() => actions.openSidePanel(summary.site)}>
          Open side panel
        </button>
      </div>
      <ErrorText text={error} />
    </article>
  );
}
