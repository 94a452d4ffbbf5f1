import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ReviewResponse } from '@/lib/messages';
import { accountIdFromUrl, type PageAccount } from '@/lib/page-context';
import { send, errorText } from '@/components/messaging';
import { useAppState } from '@/components/useAppState';
import { SiteSelect } from '@/components/SiteSelect';
import { AccountList } from '@/components/AccountList';
import { AccountDetail } from '@/components/AccountDetail';
import { ExportButtons } from '@/components/ExportButtons';
import { ErrorText } from '@/components/useAction';
import { progressText } from '@/components/SiteStatus';
import { SHOW_OPTIONS, visibleRows, type ShowFilter } from '@/components/reviewFilters';
import { watchActiveTabUrl, type ActiveTabWatcher } from '@/components/activeTab';
import { formatCount, formatDateTime } from '@/components/format';

const hostOf = (siteUrl: string) => {
  try {
    return new URL(siteUrl).hostname.toLowerCase();
  } catch {
    return siteUrl.toLowerCase();
  }
};

export function SidePanelApp({ watchActiveTab = watchActiveTabUrl }: { watchActiveTab?: ActiveTabWatcher }) {
  const { state, error: stateError, progress, changeCount } = useAppState();
  const [siteChoice, setSiteChoice] = useState<string | null>(null);
  const [review, setReview] = useState<ReviewResponse | null>(null);
  const [reviewError, setReviewError] = useState<string | null>(null);
  const [reloadCount, setReloadCount] = useState(0);
  const [query, setQuery] = useState('');
  const [show, setShow] = useState<ShowFilter>('review');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [pageAccount, setPageAccount] = useState<PageAccount | null>(null);

  const sites = state?.sites ?? [];
  const current = sites.find((s) => s.site === siteChoice) ?? sites[0] ?? null;
  const site = current?.site ?? null;

  useEffect(() => watchActiveTab((url) => setPageAccount(url ? accountIdFromUrl(url) : null)), [watchActiveTab]);

  // A profile page on one of the connected sites switches the panel to that site.
  useEffect(() => {
    if (!pageAccount) return;
    const bySite = sites.find((s) => hostOf(s.site) === pageAccount.host);
    if (bySite && bySite.site !== site) setSiteChoice(bySite.site);
  }, [pageAccount, sites, site]);

  useEffect(() => {
    if (!site) {
      setReview(null);
      return;
    }
    let cancelled = false;
    send({ type: 'getReview', site }).then(
      (r) => {
        if (cancelled) return;
        setReview(r);
        setReviewError(null);
      },
      (e: unknown) => !cancelled && setReviewError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [site, changeCount, reloadCount]);

  const rows = review && review.site === site ? review.rows : [];

  // Select the account the active tab is about, once it is in the loaded review — once per tab
  // change, so "Back to list" is not undone by the next reload.
  const appliedPageAccount = useRef<PageAccount | null>(null);
  useEffect(() => {
    if (!pageAccount || appliedPageAccount.current === pageAccount) return;
    if (rows.some((r) => r.account.accountId === pageAccount.accountId)) {
      appliedPageAccount.current = pageAccount;
      setSelectedId(pageAccount.accountId);
    }
  }, [pageAccount, review]);

  const listed = useMemo(() => visibleRows(rows, show, query), [rows, show, query]);
  const selected = selectedId ? rows.find((r) => r.account.accountId === selectedId) ?? null : null;
  const live = current ? progress[current.site] ?? current.sync : null;

  return (
    <main>
      <h1>Access Lens</h1>
      <ErrorText text={stateError} />
      {!state && !stateError && <p role="status">Loading…</p>}
      {state && sites.length === 0 && <p>No site connected — open Settings to connect your Confluence site.</p>}
      {current && (
        <>
          {sites.length > 1 && (
            <SiteSelect
              sites={sites}
              value={current.site}
              onChange={(s) => {
                setSiteChoice(s);
                setSelectedId(null);
              }}
            />
          )}
          <p class="muted">
            {current.siteName} · {current.lastSyncedAt ? `Last synced ${formatDateTime(current.lastSyncedAt)}` : 'Not synced yet'}
          </p>
          {live && (
            <p class="progress" role="status">
              {progressText(live)}
            </p>
          )}
          <ErrorText text={reviewError} />
          {review && review.site === current.site && (
            <ReviewBody
              hasSynced={!!(review.lastSyncedAt ?? current.lastSyncedAt) || rows.length > 0}
              hasRoster={review.people.length > 0}
            >
              {selected ? (
                <AccountDetail
                  site={current.site}
                  row={selected}
                  people={review.people}
                  onBack={() => setSelectedId(null)}
                  onChanged={() => setReloadCount((n) => n + 1)}
                />
              ) : (
                <>
                  {/* Above the list: with hundreds of accounts the auditor should not scroll to export. */}
                  <ExportButtons
                    site={current.site}
                    siteName={current.siteName}
                    rows={rows}
                    lastSyncedAt={review.lastSyncedAt}
                    roster={state?.roster ?? null}
                    caveats={review.caveats}
                  />
                  <div class="row" style={{ alignItems: 'flex-end' }}>
                    <div style={{ flex: '2 1 180px' }}>
                      <label for="account-search">Search accounts</label>
                      <input id="account-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
                    </div>
                    <div style={{ flex: '1 1 140px' }}>
                      <label for="account-show">Show</label>
                      <select id="account-show" value={show} onChange={(e) => setShow(e.currentTarget.value as ShowFilter)}>
                        {SHOW_OPTIONS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </div>
                  </div>
                  <p role="status" class="muted">
                    {formatCount(listed.length)} {listed.length === 1 ? 'account' : 'accounts'}
                  </p>
                  {listed.length === 0 ? (
                    <p class="muted">No account matches.</p>
                  ) : (
                    <AccountList key={`${show}|${query}`} rows={listed} onSelect={setSelectedId} />
                  )}
                </>
              )}
            </ReviewBody>
          )}
        </>
      )}
    </main>
  );
}

function ReviewBody({ hasSynced, hasRoster, children }: { hasSynced: boolean; hasRoster: boolean; children: ComponentChildren }) {
  if (!hasSynced) return <p>No sync yet — press Sync now in the popup.</p>;
  return (
    <>
      {!hasRoster && <p class="muted">Import a roster on the Settings page to match accounts to people.</p>}
      {children}
    </>
  );
}
